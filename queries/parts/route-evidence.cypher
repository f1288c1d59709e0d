{{- /* For a route of part routes held in map {{.Args.t}} (fields ids, hops), its hops as JSON
(every relationship behind each hop, with its direction, influence, chance of being in
force and evidence) and its evidence as lines "N. relationship: "quote" - source <url>".
Args: t, keep. Binds hops and evidence. */ -}}
CALL ({{.Args.t}}) {
  UNWIND {{.Args.t}}.hops AS h
  UNWIND h.channels AS c
  UNWIND c.rels AS e
  UNWIND coalesce(e.r.evidenceSources, []) AS sid
  MATCH (s:Source {id: sid})
  RETURN collect(DISTINCT s) AS sources
}
WITH {{keep .Args}}[j IN range(0, size({{.Args.t}}.hops) - 1) | {n: j + 1, from: {{.Args.t}}.ids[j], to: {{.Args.t}}.ids[j + 1],
       net: round({{.Args.t}}.hops[j].net, 4), cooperation: round({{.Args.t}}.hops[j].cooperation, 4),
       conflict: round({{.Args.t}}.hops[j].conflict, 4), uncertain: {{.Args.t}}.hops[j].uncertain,
       relationships: reduce(acc = [], c IN {{.Args.t}}.hops[j].channels | acc + [e IN c.rels | {
         id: e.r.id, type: type(e.r), direction: CASE WHEN c.forward THEN 'forward' ELSE 'backward' END,
         sign: c.sign, influence: round(e.i, 4), chance: round(e.chance, 4),
         since: e.r.since, until: e.r.until, confidence: e.r.confidence, basis: e.r.flowBasis,
         evidence: [k IN range(0, size(coalesce(e.r.evidenceSources, [])) - 1) | {
           source: e.r.evidenceSources[k],
           quote: CASE WHEN e.r.evidenceQuotes[k] <> '' THEN e.r.evidenceQuotes[k] END,
           note: CASE WHEN e.r.evidenceNotes[k] <> '' THEN e.r.evidenceNotes[k] END,
           title: [s IN sources WHERE s.id = e.r.evidenceSources[k] | s.title][0],
           url: [s IN sources WHERE s.id = e.r.evidenceSources[k] | coalesce(s.url, s.file)][0]}]}])}] AS hops
WITH {{keep .Args}}hops,
     reduce(lines = [], h IN hops | lines + reduce(l = [], r IN h.relationships | l + [e IN r.evidence |
       h.n + '. ' + r.id + ': ' + coalesce('"' + e.quote + '"', '(' + e.note + ')') + ' - ' + coalesce(e.title, e.source) + coalesce(' <' + e.url + '>', '')])) AS evidence
