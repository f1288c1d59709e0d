// name: imbalances
// description: The contested places: triads of the given actors whose net ties are unbalanced on a date (the product of their signs is negative), strongest first, with the ties and their evidence.
// param: actors actors default usa,israel,hamas,egypt,qatar,iran,houthis - the actors whose triads are read (IDs, names or aliases)
// param: asOf date default 2025-06-02 - only relationships in force on this day count
// param: confidence string default graded in graded,flat,steep - the weights of the confidence levels (vocabulary.yaml)
// param: aggregation string default noisy-or in noisy-or,max - how a pair's channels combine
// param: scaleType string default none - a relationship type to scale (sensitivity runs)
// param: scale float default 1 min 0 max 2 - the factor for scaleType
// param: limit int default 20 min 1 max 1000 - how many triads to return
// columns: rank, triad, strength, ties, evidence
// view: rank, triad, strength, ties
// evidence: evidence
// key: triad
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param actors => ['usa', 'israel', 'hamas', 'egypt', 'qatar', 'iran', 'houthis'];
// :param asOf => date('2025-06-02');
// :param confidence => 'graded';
// :param aggregation => 'noisy-or';
// :param scaleType => 'none';
// :param scale => 1.0;
// :param limit => 20;
//
// Structural balance (Heider 1946; Cartwright & Harary 1956) reads ties as undirected:
// the tie of two actors is the mean of their two net ties (part dyad, as ties shows them:
// net(x -> y) and net(y -> x), each cooperation - conflict of the pair's relationships in
// force on $asOf), its sign the sign of that mean. A triad of three actors all tied to
// each other is unbalanced when the product of its three signs is negative: two friends
// of one actor at odds with each other (the US cooperates with Qatar, Qatar hosts Hamas,
// the US is hostile to Hamas), or three mutual enemies. These are the places where an
// actor is cross-pressured and a tie is likely to change (Heider; Antal, Krapivsky &
// Redner 2006 on the dynamics of social balance). strength = the product of the three
// |ties|, strongest first, then by the actor IDs. ties lists each pair's tie; evidence
// lists the relationships behind each tie, with its direction and influence.
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
WITH x, y WHERE x.id < y.id
// part: dyad x=x y=y as=xy
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
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS xy
}
// end part: dyad
// part: dyad x=y y=x as=yx
CALL (y, x) {
  MATCH (y)-[r]-(x)
  WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
  WITH r, startNode(r) = y AS forward,
       CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
            ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
         * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
  WITH r, forward, chance, CASE WHEN startNode(r) = y OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
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
  RETURN {x: y, y: x, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS yx
}
// end part: dyad
WITH x, y, xy, yx WHERE size(xy.channels) + size(yx.channels) > 0
WITH collect({x: x.id, y: y.id, tie: (xy.net + yx.net) / 2,
              rels: reduce(acc = [], c IN xy.channels + yx.channels | acc + [e IN c.rels WHERE NOT e.r.id IN [a IN acc | a.id] |
                {id: e.r.id, type: type(e.r), from: startNode(e.r).id, to: endNode(e.r).id, sign: c.sign}])}) AS ties
UNWIND ties AS ab
UNWIND ties AS ac
UNWIND ties AS bc
WITH ab, ac, bc WHERE ab.x = ac.x AND ab.y = bc.x AND ac.y = bc.y AND ab.tie * ac.tie * bc.tie < 0
WITH ab, ac, bc, abs(ab.tie * ac.tie * bc.tie) AS strength
ORDER BY strength DESC, ab.x, ab.y, ac.y
LIMIT $limit
WITH collect({ab: ab, ac: ac, bc: bc, strength: strength}) AS found
UNWIND range(0, size(found) - 1) AS i
WITH i + 1 AS rank, found[i] AS f
RETURN rank, f.ab.x + ', ' + f.ab.y + ', ' + f.ac.y AS triad, round(f.strength, 4) AS strength,
       [t IN [f.ab, f.ac, f.bc] | t.x + ' ' + CASE WHEN t.tie > 0 THEN '+' ELSE '' END + toString(round(t.tie, 2)) + ' ' + t.y] AS ties,
       reduce(acc = [], t IN [f.ab, f.ac, f.bc] | acc + [r IN t.rels |
         t.x + ' ' + t.y + ': ' + r.from + ' -[' + r.type + ']-> ' + r.to + ' (' + r.id + ')']) AS evidence
ORDER BY rank
