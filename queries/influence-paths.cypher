// name: influence-paths
// description: The strongest influence paths from one actor to another on a date, cooperative and coercive ranked apart, each with its strength, sign, route and the evidence for every hop.
// param: from actor default usa - the actor whose influence is traced (an ID, name or alias)
// param: to actor default hamas - the actor the influence reaches (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day are followed
// param: kind string default both in cooperative,coercive,both - which paths to rank
// param: maxHops int default 4 min 1 max 5 - the longest path, in relationships
// param: limit int default 5 min 1 max 100 - how many paths of each kind to return
// param: attenuation float default 0.8 min 0 max 1 - each hop after the first multiplies a path's strength by this
// columns: kind, rank, strength, sign, route, evidence, hops, path
// view: kind, rank, strength, sign, route
// evidence: evidence
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param from => 'usa';
// :param to => 'hamas';
// :param asOf => date('2025-06-02');
// :param kind => 'both';
// :param maxHops => 4;
// :param limit => 5;
// :param attenuation => 0.8;
//
// The influence model (README, "The influence model"):
// - An influence relationship is any relationship with a weight between two actors: its
//   type is scored on the Goldstein scale (Goldstein 1992; CAMEO codes as GDELT and ICEWS
//   use them), strength = |goldstein| / 10 and sign = its sign, or is an affiliation (a
//   person acting for a body, strength 1). weight = strength x the confidence's weight
//   (schema/vocabulary.yaml: high 1.0, medium 0.7, low 0.4). No type is named here.
// - Only relationships in force on $asOf are followed: since <= asOf <= until, a partial
//   date covering its whole span (until 2025-05 runs to 31 May), a missing bound open.
// - Directed relationships are followed from their start node (A pressures B: influence
//   flows A -> B); symmetric ones both ways, scored by reverseSign/reverseWeight when
//   followed backwards where the curator set a reverse score.
// - A path's strength = the product of its weights x attenuation^(hops - 1); its sign =
//   the product of its signs (structural balance, Heider 1946; Cartwright & Harary 1956).
// - Influence travels through cooperation: every hop but the last is positive. A
//   cooperative path is positive throughout; a coercive path ends in one negative hop
//   (pressure delivered by the last actor reached through friends: arms for an ally who
//   attacks). A chain of hostilities (the enemy of my enemy) is not influence: Guha et
//   al. (2004) found distrust propagated one step only works best.
// - Paths are simple (no actor twice). Parallel relationships of one type between the
//   same two actors are one hop: route shows each hop once, hops lists every
//   relationship behind it, and the hop counts its strongest. Each kind is ranked by
//   strength, ties by fewer hops, then the actor IDs. In route, -[T]-> is a directed
//   hop, -[T]- a symmetric one.
//
// A pattern's bounds can't be parameters, so the paths are matched in two parts: up to
// 4 hops (cut to $maxHops by the filter), and exactly 5 hops only when $maxHops is 5 (the
// planner checks that guard before expanding, so the common case never expands a fifth
// hop, which on a large graph costs more than the first four together).
CALL () {
  MATCH (n:Actor {id: toLower(trim($from))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim($from), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim($from)) OR toLower(trim($from)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim($from)) THEN 1 ELSE 2 END AS tier
}
WITH n AS a ORDER BY tier, n.id LIMIT 1
CALL () {
  MATCH (n:Actor {id: toLower(trim($to))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim($to), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim($to)) OR toLower(trim($to)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim($to)) THEN 1 ELSE 2 END AS tier
}
WITH a, n AS b ORDER BY tier, n.id LIMIT 1
CALL (a, b) {
  MATCH p = (a)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.sign * r.weight
                         WHEN r.symmetric THEN coalesce(r.reverseSign * r.reverseWeight, r.sign * r.weight) END > 0){0,3}
            (m:Actor)-[last]-(b)
  WHERE length(p) <= $maxHops
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd)
    AND CASE WHEN startNode(last) = m THEN last.weight WHEN last.symmetric THEN coalesce(last.reverseWeight, last.weight) END > 0
  RETURN p
  UNION ALL
  MATCH p = (a)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.sign * r.weight
                         WHEN r.symmetric THEN coalesce(r.reverseSign * r.reverseWeight, r.sign * r.weight) END > 0){4}
            (m:Actor)-[last]-(b)
  WHERE $maxHops >= 5
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd)
    AND CASE WHEN startNode(last) = m THEN last.weight WHEN last.symmetric THEN coalesce(last.reverseWeight, last.weight) END > 0
  RETURN p
}
WITH p, nodes(p) AS ns, relationships(p) AS rs
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
// each hop as followed: its sign and weight in the direction of travel
WITH p, ns, rs, [i IN range(0, size(rs) - 1) |
       CASE WHEN startNode(rs[i]) = ns[i] OR rs[i].reverseWeight IS NULL
            THEN {sign: rs[i].sign, weight: rs[i].weight}
            ELSE {sign: rs[i].reverseSign, weight: rs[i].reverseWeight} END] AS scored
WITH p, ns, rs,
     reduce(s = 1, h IN scored | s * h.sign) AS sign,
     reduce(w = 1.0, h IN scored | w * h.weight) * $attenuation ^ (size(rs) - 1) AS strength,
     CASE WHEN scored[-1].sign > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
WHERE $kind IN [kind, 'both']
// parallel relationships of one type between the same two actors are one hop
WITH kind, sign, [n IN ns | n.id] AS ids, [r IN rs | type(r)] AS types, p, rs, strength
ORDER BY strength DESC, [r IN rs | r.id]
WITH kind, sign, ids, types, collect(p)[0] AS p, collect(rs) AS alternatives, max(strength) AS strength
ORDER BY strength DESC, size(ids), ids, types
WITH kind, collect({p: p, alternatives: alternatives, strength: strength, sign: sign})[..$limit] AS top
UNWIND range(0, size(top) - 1) AS i
WITH kind, i + 1 AS rank, top[i] AS t, nodes(top[i].p) AS ns
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
ORDER BY kind DESC, rank
