// name: balance
// description: The triads two actors share with a third, each with the sign of its three ties and whether it is balanced (the product of the signs is positive), as of a date.
// param: a actor default usa - one actor of the triads (an ID, name or alias)
// param: b actor default israel - the other actor of the triads (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day count (since/until; a missing bound is open)
// param: confidence string default graded in graded,flat,steep - the weights of the confidence levels (vocabulary.yaml)
// param: aggregation string default noisy-or in noisy-or,max - how a pair's channels combine
// param: scaleType string default none - a relationship type to scale (sensitivity runs)
// param: scale float default 1 min 0 max 2 - the factor for scaleType
// columns: third, name, ab, ac, bc, signs, balanced
// key: third
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param a => 'usa';
// :param b => 'israel';
// :param asOf => date('2025-06-02');
// :param confidence => 'graded';
// :param aggregation => 'noisy-or';
// :param scaleType => 'none';
// :param scale => 1.0;
//
// Structural balance (Heider 1946; Cartwright & Harary 1956) reads relations as
// undirected: the tie of two actors is the mean of their two net ties (README, "The
// influence model"; query ties shows each direction), each the cooperation - conflict of
// the pair's influence relationships in force on $asOf, so that talks and sanctions
// between the same two partly cancel. A tie's sign is the sign of that mean. A triad
// a-b-c is balanced when the product of its three signs is positive (the friend of a
// friend is a friend, the enemy of an enemy is a friend), unbalanced when it is negative,
// and undetermined (null) when a-b have no tie or a tie nets to 0. The third actors are
// those tied to both a and b on the date; ab is the same on every row. Query imbalances
// lists the unbalanced triads of a set of actors.
// signs reads ab, ac, bc. Unbalanced triads come first.
// part: resolve-actor of=$a as=a
CALL () {
  WITH trim($a) AS input
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
// part: resolve-actor of=$b as=b keep=a
CALL () {
  WITH trim($b) AS input
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
MATCH (a)-[r1]-(c:Actor)-[r2]-(b)
WHERE c <> a AND c <> b
  AND all(r IN [r1, r2] WHERE r.fwdInfluence IS NOT NULL
        AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf)
        AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd))
WITH DISTINCT a, b, c
// part: tie x=a y=b as=ab keep=a,b,c
CALL (a, b) {
  MATCH (a)-[r]-(b)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = a AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = a OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: a, y: b, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS fwd
}
CALL (b, a) {
  MATCH (b)-[r]-(a)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = b AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = b OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: b, y: a, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS back
}
WITH a, b, c, CASE WHEN size(fwd.channels) + size(back.channels) > 0 THEN (fwd.net + back.net) / 2 END AS ab
// end part: tie
// part: tie x=a y=c as=ac keep=a,b,c,ab
CALL (a, c) {
  MATCH (a)-[r]-(c)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = a AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = a OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: a, y: c, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS fwd
}
CALL (c, a) {
  MATCH (c)-[r]-(a)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = c AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = c OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: c, y: a, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS back
}
WITH a, b, c, ab, CASE WHEN size(fwd.channels) + size(back.channels) > 0 THEN (fwd.net + back.net) / 2 END AS ac
// end part: tie
// part: tie x=b y=c as=bc keep=a,b,c,ab,ac
CALL (b, c) {
  MATCH (b)-[r]-(c)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = b AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = b OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: b, y: c, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS fwd
}
CALL (c, b) {
  MATCH (c)-[r]-(b)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = c AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = c OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: c, y: b, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS back
}
WITH a, b, c, ab, ac, CASE WHEN size(fwd.channels) + size(back.channels) > 0 THEN (fwd.net + back.net) / 2 END AS bc
// end part: tie
WITH c, [v IN [ab, ac, bc] | round(v, 4)] AS net
WITH c, net, [v IN net | CASE WHEN v IS NULL THEN '?' WHEN v > 0 THEN '+' WHEN v < 0 THEN '-' ELSE '0' END] AS s
RETURN c.id AS third, c.name AS name, net[0] AS ab, net[1] AS ac, net[2] AS bc,
       s[0] + s[1] + s[2] AS signs,
       CASE WHEN none(v IN net WHERE v IS NULL OR v = 0) THEN sign(net[0]) * sign(net[1]) * sign(net[2]) > 0 END AS balanced
ORDER BY CASE balanced WHEN false THEN 0 WHEN true THEN 1 ELSE 2 END, third
