// name: ties
// description: The net tie of each ordered pair of the given actors on a date: cooperation, conflict and their net, with the relationships behind each.
// param: actors actors default usa,israel,hamas,egypt,qatar,iran,houthis - the actors, each paired with each other one (IDs, names or aliases)
// param: asOf date default 2025-06-02 - only relationships in force on this day count
// param: confidence string default graded in graded,flat,steep - the weights of the confidence levels (vocabulary.yaml)
// param: aggregation string default noisy-or in noisy-or,max - how a pair's channels combine
// param: scaleType string default none - a relationship type to scale (sensitivity runs)
// param: scale float default 1 min 0 max 2 - the factor for scaleType
// columns: from, to, net, cooperation, conflict, uncertain, channels, relationships
// view: from, to, net, cooperation, conflict, channels
// evidence: relationships
// key: from, to
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param actors => ['usa', 'israel', 'hamas', 'egypt', 'qatar', 'iran', 'houthis'];
// :param asOf => date('2025-06-02');
// :param confidence => 'graded';
// :param aggregation => 'noisy-or';
// :param scaleType => 'none';
// :param scale => 1.0;
//
// The net tie of an ordered pair (from, to) on $asOf is what the path queries follow
// (README, "The influence model"): every influence relationship between the two in force
// that day, in either direction, carries the influence its type's flow gives it towards
// `to` (schema/vocabulary.yaml: forward from its start node, backward from its end node)
// x the confidence's weight x its chance of being in force (a date known only to the
// month or year that covers the day only in part: uncertain). Parallel relationships of
// one type and direction are one channel. cooperation combines the positive channels,
// conflict the negative ones (noisy-or: 1 - product of (1 - i); or max), net = cooperation -
// conflict: one net score per dyad, as event-data analysts aggregate a dyad's events
// (Goldstein 1992; ICEWS and GDELT net cooperation), one sign per tie (Cartwright & Harary
// 1956; Leskovec, Huttenlocher & Kleinberg 2010). channels lists each channel as
// +TYPE or -TYPE with its influence, > followed forward, < followed back, ? uncertain.
// Pairs with no relationship in force are left out; strongest net first, hostile last.
CALL () {
  UNWIND $actors AS aid
  CALL (aid) {
    // part: resolve-actor of=aid as=x vars=aid return=true
    CALL (aid) {
      WITH trim(aid) AS input
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
                    '; give the ID' END}).x) END] AS x
    }
    RETURN x
    // end part: resolve-actor
  }
  RETURN collect(DISTINCT x) AS xs
}
UNWIND xs AS x
UNWIND xs AS y
WITH x, y WHERE x <> y
// part: dyad x=x y=y
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
// end part: dyad
WITH x, y, d WHERE size(d.channels) > 0
RETURN x.id AS from, y.id AS to, round(d.net, 4) AS net, round(d.cooperation, 4) AS cooperation,
       round(d.conflict, 4) AS conflict, d.uncertain AS uncertain,
       [c IN d.channels | CASE WHEN c.sign > 0 THEN '+' ELSE '-' END + c.type + CASE WHEN c.forward THEN '>' ELSE '<' END
          + ' ' + toString(round(c.i, 2)) + CASE WHEN any(e IN c.rels WHERE e.chance < 1) THEN '?' ELSE '' END] AS channels,
       reduce(acc = [], c IN d.channels | acc + [e IN c.rels | e.r.id + ' (' + type(e.r) + CASE WHEN c.forward THEN ', forward' ELSE ', backward' END
          + ', ' + toString(round(e.i, 3)) + CASE WHEN e.chance < 1 THEN ', in force with chance ' + toString(round(e.chance, 2)) ELSE '' END + ')']) AS relationships
ORDER BY net DESC, from, to
