// name: shortest-path
// description: The influence paths with the fewest hops from one actor to another on a date, strongest first, each cooperative or coercive, with strength, sign, route and evidence.
// param: from actor default usa - the actor whose influence is traced (an ID, name or alias)
// param: to actor default hamas - the actor the influence reaches (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day are followed
// param: limit int default 10 min 1 max 100 - how many of the shortest paths to return
// param: attenuation float default 0.8 min 0 max 1 - each hop after the first multiplies a path's strength by this
// columns: kind, rank, strength, sign, route, evidence, hops, path
// view: kind, rank, strength, sign, route
// evidence: evidence
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param from => 'usa';
// :param to => 'hamas';
// :param asOf => date('2025-06-02');
// :param limit => 10;
// :param attenuation => 0.8;
//
// The same influence model as influence-paths (relationships in force on $asOf, weights
// from the Goldstein scale and the confidence, every hop but the last positive, parallel
// relationships one hop), searched breadth-first with ALL SHORTEST: every path of the
// least length, up to 8 hops. Among equally short paths the strongest comes first,
// whatever its kind.
// part: resolve-actor of=$from as=a
CALL () {
  MATCH (n:Actor {id: toLower(trim($from))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim($from), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim($from)) OR toLower(trim($from)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim($from)) THEN 1 ELSE 2 END AS tier
}
WITH n AS a ORDER BY tier, n.id LIMIT 1
// end part: resolve-actor
// part: resolve-actor of=$to as=b keep=a
CALL () {
  MATCH (n:Actor {id: toLower(trim($to))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim($to), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim($to)) OR toLower(trim($to)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim($to)) THEN 1 ELSE 2 END AS tier
}
WITH a, n AS b ORDER BY tier, n.id LIMIT 1
// end part: resolve-actor
MATCH p = ALL SHORTEST ((a)
          ((x)-[r]-(y:Actor)
            WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
              AND CASE WHEN startNode(r) = x THEN r.sign * r.weight
                   WHEN r.symmetric THEN coalesce(r.reverseSign * r.reverseWeight, r.sign * r.weight) END > 0){0,7}
          (m:Actor)-[last]-(b)
          WHERE (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd)
            AND CASE WHEN startNode(last) = m THEN last.weight WHEN last.symmetric THEN coalesce(last.reverseWeight, last.weight) END > 0)
WITH p, nodes(p) AS ns, relationships(p) AS rs
// each hop as followed: its sign and weight in the direction of travel
WITH p, ns, rs, [i IN range(0, size(rs) - 1) |
       CASE WHEN startNode(rs[i]) = ns[i] OR rs[i].reverseWeight IS NULL
            THEN {sign: rs[i].sign, weight: rs[i].weight}
            ELSE {sign: rs[i].reverseSign, weight: rs[i].reverseWeight} END] AS scored
WITH p, ns, rs,
     reduce(s = 1, h IN scored | s * h.sign) AS sign,
     reduce(w = 1.0, h IN scored | w * h.weight) * $attenuation ^ (size(rs) - 1) AS strength,
     CASE WHEN scored[-1].sign > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
// parallel relationships of one type between the same two actors are one hop
WITH kind, sign, [n IN ns | n.id] AS ids, [r IN rs | type(r)] AS types, p, rs, strength
ORDER BY strength DESC, [r IN rs | r.id]
WITH kind, sign, ids, types, collect(p)[0] AS p, collect(rs) AS alternatives, max(strength) AS strength
ORDER BY strength DESC, size(ids), ids, types
WITH collect({p: p, alternatives: alternatives, strength: strength, sign: sign, kind: kind})[..$limit] AS top
UNWIND range(0, size(top) - 1) AS i
WITH top[i].kind AS kind, i + 1 AS rank, top[i] AS t, nodes(top[i].p) AS ns
WITH kind, rank, t, [j IN range(0, size(ns) - 2) |
       {n: j + 1, from: ns[j].id, to: ns[j + 1].id, type: type(t.alternatives[0][j]),
        arrow: CASE WHEN t.alternatives[0][j].symmetric THEN '-' ELSE '->' END,
        rels: reduce(acc = [], r IN [alt IN t.alternatives | alt[j]] | CASE WHEN r IN acc THEN acc ELSE acc + [r] END)}] AS hs
CALL (hs) {
  UNWIND hs AS h
  UNWIND h.rels AS r
  UNWIND coalesce(r.evidenceSources, []) AS sid
  MATCH (s:Source {id: sid})
  RETURN collect(DISTINCT s) AS sources
}
WITH kind, rank, t, hs, sources,
     [h IN hs | {n: h.n, from: h.from, type: h.type, to: h.to, symmetric: h.arrow = '-', relationships: [r IN h.rels | {
        id: r.id, since: r.since, until: r.until, confidence: r.confidence, sign: r.sign, weight: r.weight, basis: r.influenceBasis,
        evidence: [k IN range(0, size(coalesce(r.evidenceSources, [])) - 1) | {
          source: r.evidenceSources[k],
          quote: CASE WHEN r.evidenceQuotes[k] <> '' THEN r.evidenceQuotes[k] END,
          note: CASE WHEN r.evidenceNotes[k] <> '' THEN r.evidenceNotes[k] END,
          title: [s IN sources WHERE s.id = r.evidenceSources[k] | s.title][0],
          url: [s IN sources WHERE s.id = r.evidenceSources[k] | coalesce(s.url, s.file)][0]}]}]}] AS hops
RETURN kind, rank, round(t.strength, 4) AS strength, t.sign AS sign,
       reduce(route = hops[0].from, h IN hops | route + ' -[' + h.type + CASE WHEN h.symmetric THEN ']- ' ELSE ']-> ' END + h.to) AS route,
       reduce(lines = [], h IN hops | lines + reduce(l = [], r IN h.relationships | l + [e IN r.evidence |
         h.n + '. ' + r.id + ': ' + coalesce('"' + e.quote + '"', '(' + e.note + ')') + ' - ' + coalesce(e.title, e.source) + coalesce(' <' + e.url + '>', '')])) AS evidence,
       hops, t.p AS path
ORDER BY rank
