// name: shortest-path
// description: The influence paths with the fewest hops from one actor to another on a date, strongest first, each cooperative or coercive, with strength, sign, route and evidence.
// param: from actor default usa - the actor whose influence is traced (an ID, name or alias)
// param: to actor default hamas - the actor the influence reaches (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day are followed
// param: maxHops int default 4 min 1 max 5 - the longest path searched, in hops
// param: limit int default 10 min 1 max 100 - how many of the shortest paths to return
// param: attenuation float default 0.8 min 0 max 1 - each hop after the first multiplies a path's strength by this
// param: confidence string default graded in graded,flat,steep - the weights of the confidence levels (vocabulary.yaml)
// param: aggregation string default noisy-or in noisy-or,max - how a pair's channels combine
// param: reading string default dyad in dyad,relationship - a hop is a net tie, or one relationship
// param: scaleType string default none - a relationship type to scale (sensitivity runs)
// param: scale float default 1 min 0 max 2 - the factor for scaleType
// columns: kind, rank, strength, sign, route, evidence, hops, path
// view: kind, rank, strength, sign, route
// evidence: evidence
// key: route
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param from => 'usa';
// :param to => 'hamas';
// :param asOf => date('2025-06-02');
// :param maxHops => 4;
// :param limit => 10;
// :param attenuation => 0.8;
// :param confidence => 'graded';
// :param aggregation => 'noisy-or';
// :param reading => 'dyad';
// :param scaleType => 'none';
// :param scale => 1.0;
//
// The same influence model as influence-paths (README, "The influence model": net ties
// per ordered pair on $asOf, every hop but the last net positive, no actor the source is
// hostile to on the way, strength = product of |net| x attenuation^(hops - 1)): of the
// routes of up to $maxHops hops, those with the fewest hops, of either kind, the
// strongest first (ties by the actor IDs). Route, hops and evidence read as in
// influence-paths.
// part: resolve-actor of=$from as=a
CALL () {
  WITH trim($from) AS input
  CALL (input) {
    MATCH (n:Actor {id: toLower(input)})
    RETURN n, 0 AS tier
    UNION
    CALL (input) {
      WITH input WHERE input =~ '(?s).*[\\p{L}\\p{N}].*'
      CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(input, '\\', '\\\\'), '"', '\\"') + '"') YIELD node
      RETURN node AS n
    }
    WITH n, toLower(input) AS t, [s IN coalesce(n.aliases, []) | toLower(s)] AS aliases
    RETURN n, CASE WHEN toLower(n.name) = t THEN 1
                   WHEN t IN aliases THEN 2
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE s ENDS WITH ' ' + t) THEN 3
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE (' ' + s + ' ') CONTAINS (' ' + t + ' ')) THEN 4 END AS tier
    UNION
    RETURN null AS n, null AS tier
  }
  WITH input, n, min(tier) AS tier
  ORDER BY tier, n.id
  WITH input, collect(CASE WHEN tier IS NOT NULL THEN {n: n, tier: tier} END) AS hits
  WITH input, [h IN hits WHERE h.tier = hits[0].tier | h.n] AS candidates
  RETURN candidates[CASE size(candidates) WHEN 1 THEN 0 ELSE toInteger(point({x: 0, y: 0, crs: CASE size(candidates) WHEN 0
           THEN 'backchannel: no actor has the ID, name or alias "' + input + '"; MATCH (a:Actor) RETURN a.id, a.name, a.aliases lists them'
           ELSE 'backchannel: "' + input + '" is ambiguous: it names ' +
                reduce(s = '', c IN candidates | s + CASE s WHEN '' THEN '' ELSE ', ' END + c.id + ' (' + c.name + ', ' + c.kind + ')') +
                '; give the ID' END}).x) END] AS a
}
// end part: resolve-actor
// part: resolve-actor of=$to as=b keep=a
CALL () {
  WITH trim($to) AS input
  CALL (input) {
    MATCH (n:Actor {id: toLower(input)})
    RETURN n, 0 AS tier
    UNION
    CALL (input) {
      WITH input WHERE input =~ '(?s).*[\\p{L}\\p{N}].*'
      CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(input, '\\', '\\\\'), '"', '\\"') + '"') YIELD node
      RETURN node AS n
    }
    WITH n, toLower(input) AS t, [s IN coalesce(n.aliases, []) | toLower(s)] AS aliases
    RETURN n, CASE WHEN toLower(n.name) = t THEN 1
                   WHEN t IN aliases THEN 2
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE s ENDS WITH ' ' + t) THEN 3
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE (' ' + s + ' ') CONTAINS (' ' + t + ' ')) THEN 4 END AS tier
    UNION
    RETURN null AS n, null AS tier
  }
  WITH input, n, min(tier) AS tier
  ORDER BY tier, n.id
  WITH input, collect(CASE WHEN tier IS NOT NULL THEN {n: n, tier: tier} END) AS hits
  WITH input, [h IN hits WHERE h.tier = hits[0].tier | h.n] AS candidates
  RETURN candidates[CASE size(candidates) WHEN 1 THEN 0 ELSE toInteger(point({x: 0, y: 0, crs: CASE size(candidates) WHEN 0
           THEN 'backchannel: no actor has the ID, name or alias "' + input + '"; MATCH (a:Actor) RETURN a.id, a.name, a.aliases lists them'
           ELSE 'backchannel: "' + input + '" is ambiguous: it names ' +
                reduce(s = '', c IN candidates | s + CASE s WHEN '' THEN '' ELSE ', ' END + c.id + ' (' + c.name + ', ' + c.kind + ')') +
                '; give the ID' END}).x) END] AS b
}
// end part: resolve-actor
CALL (a, b) {
  // part: candidate-paths s=a t=b
  MATCH p = (a)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.fwdInfluence ELSE r.revInfluence END > 0 AND CASE WHEN startNode(r) = x OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END > 0){0,3}
            (m:Actor)-[last]-(b)
  WHERE length(p) <= $maxHops
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd) AND CASE WHEN startNode(last) = m THEN last.fwdInfluence ELSE last.revInfluence END > 0
    AND all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  RETURN p
  UNION ALL
  MATCH p = (a)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.fwdInfluence ELSE r.revInfluence END > 0 AND CASE WHEN startNode(r) = x OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END > 0){4}
            (m:Actor)-[last]-(b)
  WHERE $maxHops >= 5
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd) AND CASE WHEN startNode(last) = m THEN last.fwdInfluence ELSE last.revInfluence END > 0
    AND all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  RETURN p
  // end part: candidate-paths
}
WITH a, b, collect(p) AS paths
// part: dyads-of-paths paths=paths
CALL (paths) {
  UNWIND paths AS p
  UNWIND range(0, length(p) - 1) AS i
  UNWIND [[nodes(p)[i], nodes(p)[i + 1]], [nodes(p)[i + 1], nodes(p)[i]]]
         + CASE WHEN i = 0 THEN [] ELSE [[nodes(p)[0], nodes(p)[i]]] END AS pair
  WITH DISTINCT pair[0] AS x, pair[1] AS y
  CALL (x, y) {
    MATCH (x)-[r]-(y)
    WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
    WITH r, startNode(r) = x AS forward,
         CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
              ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
           * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                  ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
    WITH r, forward, chance, CASE WHEN startNode(r) = x OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
         CASE WHEN forward THEN r.fwdInfluence ELSE r.revInfluence END
           * CASE WHEN type(r) = $scaleType THEN $scale ELSE 1.0 END
           * {flat: {high: 1.0, low: 1.0, medium: 1.0}, graded: {high: 1.0, medium: 0.7, low: 0.4}, steep: {high: 1.0, medium: 0.5, low: 0.2}}[$confidence][r.confidence] * chance AS i
    WHERE i > 0
    WITH r, forward, chance, sign, i ORDER BY i DESC, r.id
    WITH type(r) AS type, forward, sign, max(i) AS i, collect({r: r, i: i, chance: chance}) AS rels
    ORDER BY i DESC, type, forward DESC
    WITH collect({type: type, forward: forward, sign: sign, i: i, rels: rels}) AS channels
    WITH channels, [c IN channels WHERE c.sign > 0 | c.i] AS co, [c IN channels WHERE c.sign < 0 | c.i] AS cf
    WITH channels,
         CASE $aggregation WHEN 'max' THEN reduce(m = 0.0, v IN co | CASE WHEN v > m THEN v ELSE m END)
              ELSE 1 - reduce(q = 1.0, v IN co | q * (1 - v)) END AS cooperation,
         CASE $aggregation WHEN 'max' THEN reduce(m = 0.0, v IN cf | CASE WHEN v > m THEN v ELSE m END)
              ELSE 1 - reduce(q = 1.0, v IN cf | q * (1 - v)) END AS conflict
    RETURN {x: x, y: y, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
            channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS d
  }
  WITH x, collect(d) AS ds
  RETURN collect({x: x, ds: ds}) AS dyads
}
// end part: dyads-of-paths
// part: routes paths=paths keep=a,b
UNWIND paths AS p
WITH a, b, dyads, p, nodes(p) AS ns, relationships(p) AS rs
WITH a, b, p, ns, rs, [i IN range(0, size(rs) - 1) | [d IN [[g IN dyads WHERE g.x = ns[i] | [d IN g.ds WHERE d.y = ns[i + 1]][0]][0]] |
       CASE WHEN $reading = 'relationship' THEN
         [c IN d.channels WHERE c.type = type(rs[i]) AND c.forward = (startNode(rs[i]) = ns[i]) |
           {x: d.x, y: d.y, cooperation: CASE WHEN c.sign > 0 THEN c.i ELSE 0.0 END,
            conflict: CASE WHEN c.sign < 0 THEN c.i ELSE 0.0 END, net: c.sign * c.i, channels: [c],
            uncertain: any(e IN c.rels WHERE e.chance < 1)}][0]
       ELSE d END][0]] AS hops
WHERE all(h IN hops WHERE h IS NOT NULL) AND all(h IN hops[..-1] WHERE h.net > 0) AND hops[-1].net <> 0
  AND ($reading = 'relationship' OR
       (all(k IN range(0, size(ns) - 3) WHERE [g IN dyads WHERE g.x = ns[k + 1] | [d IN g.ds WHERE d.y = ns[k]][0]][0].net >= 0)
        AND all(k IN range(2, size(ns) - 2) WHERE [g IN dyads WHERE g.x = ns[0] | [d IN g.ds WHERE d.y = ns[k]][0]][0].net >= 0)))
WITH a, b, p, ns, rs,
     [h IN hops | h {.*, label: reduce(l = '', c IN [c IN h.channels WHERE c.sign * h.net > 0][..1] |
        CASE WHEN c.forward OR c.rels[0].r.symmetric THEN ' -[' ELSE ' <-[' END + c.type
        + CASE WHEN size([x IN h.channels WHERE x.sign * h.net > 0]) > 1
               THEN '+' + toString(size([x IN h.channels WHERE x.sign * h.net > 0]) - 1) ELSE '' END
        + CASE WHEN h.uncertain THEN '?' ELSE '' END
        + CASE WHEN c.forward AND NOT c.rels[0].r.symmetric THEN ']-> ' ELSE ']- ' END),
        lead: [c IN h.channels WHERE c.sign * h.net > 0][0].rels[0].r}] AS hops,
     reduce(acc = 1, h IN hops | acc * sign(h.net)) AS sign,
     reduce(acc = 1.0, h IN hops | acc * abs(h.net)) * $attenuation ^ (size(hops) - 1) AS strength,
     CASE WHEN hops[-1].net > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
WITH a, b, kind, sign, strength, hops, [n IN ns | n.id] AS ids,
     CASE WHEN $reading = 'relationship' THEN [r IN rs | type(r)] ELSE [] END AS types, p
// the path drawn for a route: the one over each hop's leading relationship, if the
// candidates have it (a hop's last relationship may be one of the other sign)
ORDER BY size([i IN range(0, size(rs) - 1) WHERE rs[i] = hops[i].lead]) DESC, [r IN rs | r.id]
WITH a, b, kind, sign, strength, [h IN hops | h {.*, lead: null}] AS hops, ids, types, collect(p)[0] AS p
// end part: routes
WITH collect({kind: kind, ids: ids, types: types, hops: hops, strength: strength, sign: sign, p: p}) AS found
WITH [f IN found WHERE size(f.ids) = reduce(m = 99, g IN found | CASE WHEN size(g.ids) < m THEN size(g.ids) ELSE m END)] AS fewest
UNWIND fewest AS f
WITH f ORDER BY f.strength DESC, f.ids, f.types
WITH collect(f)[..$limit] AS top
UNWIND range(0, size(top) - 1) AS i
WITH top[i].kind AS kind, i + 1 AS rank, top[i] AS t
// part: route-evidence t=t keep=kind,rank,t
CALL (t) {
  UNWIND t.hops AS h
  UNWIND h.channels AS c
  UNWIND c.rels AS e
  UNWIND coalesce(e.r.evidenceSources, []) AS sid
  MATCH (s:Source {id: sid})
  RETURN collect(DISTINCT s) AS sources
}
WITH kind, rank, t, [j IN range(0, size(t.hops) - 1) | {n: j + 1, from: t.ids[j], to: t.ids[j + 1],
       net: round(t.hops[j].net, 4), cooperation: round(t.hops[j].cooperation, 4),
       conflict: round(t.hops[j].conflict, 4), uncertain: t.hops[j].uncertain,
       relationships: reduce(acc = [], c IN t.hops[j].channels | acc + [e IN c.rels | {
         id: e.r.id, type: type(e.r), direction: CASE WHEN c.forward THEN 'forward' ELSE 'backward' END,
         sign: c.sign, influence: round(e.i, 4), chance: round(e.chance, 4),
         since: e.r.since, until: e.r.until, confidence: e.r.confidence, basis: e.r.flowBasis,
         evidence: [k IN range(0, size(coalesce(e.r.evidenceSources, [])) - 1) | {
           source: e.r.evidenceSources[k],
           quote: CASE WHEN e.r.evidenceQuotes[k] <> '' THEN e.r.evidenceQuotes[k] END,
           note: CASE WHEN e.r.evidenceNotes[k] <> '' THEN e.r.evidenceNotes[k] END,
           title: [s IN sources WHERE s.id = e.r.evidenceSources[k] | s.title][0],
           url: [s IN sources WHERE s.id = e.r.evidenceSources[k] | coalesce(s.url, s.file)][0]}]}])}] AS hops
WITH kind, rank, t, hops,
     reduce(lines = [], h IN hops | lines + reduce(l = [], r IN h.relationships | l + [e IN r.evidence |
       h.n + '. ' + r.id + ': ' + coalesce('"' + e.quote + '"', '(' + e.note + ')') + ' - ' + coalesce(e.title, e.source) + coalesce(' <' + e.url + '>', '')])) AS evidence
// end part: route-evidence
RETURN kind, rank, round(t.strength, 4) AS strength, t.sign AS sign,
       reduce(route = t.ids[0], j IN range(0, size(t.hops) - 1) | route + t.hops[j].label + t.ids[j + 1]) AS route,
       evidence, hops, t.p AS path
ORDER BY rank
