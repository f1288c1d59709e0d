// name: balance
// description: The triads two actors share with a third, each with the sign of its three ties and whether it is balanced (the product of the signs is positive), as of a date.
// param: a actor default usa - one actor of the triads (an ID, name or alias)
// param: b actor default israel - the other actor of the triads (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day count (since/until; a missing bound is open)
// columns: third, name, ab, ac, bc, signs, balanced
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param a => 'usa';
// :param b => 'israel';
// :param asOf => date('2025-06-02');
//
// Structural balance (Heider; Cartwright and Harary) reads relations as undirected: the
// tie between two actors is the net of every influence relationship between them (any
// relationship with a weight), in either direction, sign x weight summed (weight =
// Goldstein strength x the confidence's weight), so that talks and demands between the same two partly cancel. A tie's sign is the sign of that
// net. A triad a-b-c is balanced when the product of its three signs is positive (the
// friend of a friend is a friend, the enemy of an enemy is a friend), unbalanced when it
// is negative, and undetermined (null) when a-b have no tie or a tie nets to 0. The
// third actors are those tied to both a and b on the date; ab is the same on every row.
// signs reads ab, ac, bc. Unbalanced triads come first.
// part: resolve-actor of=$a as=a
CALL () {
  MATCH (n:Actor {id: toLower(trim($a))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim($a), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim($a)) OR toLower(trim($a)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim($a)) THEN 1 ELSE 2 END AS tier
}
WITH n AS a ORDER BY tier, n.id LIMIT 1
// end part: resolve-actor
// part: resolve-actor of=$b as=b keep=a
CALL () {
  MATCH (n:Actor {id: toLower(trim($b))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim($b), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim($b)) OR toLower(trim($b)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim($b)) THEN 1 ELSE 2 END AS tier
}
WITH a, n AS b ORDER BY tier, n.id LIMIT 1
// end part: resolve-actor
MATCH (a)-[r1]-(c:Actor)-[r2]-(b)
WHERE c <> a AND c <> b
  AND all(r IN [r1, r2] WHERE r.strength IS NOT NULL
        AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf)
        AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd))
WITH DISTINCT a, b, c
WITH a, b, c,
     [COLLECT { MATCH (a)-[r]-(b) WHERE r.strength IS NOT NULL
                  AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf)
                  AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd) RETURN r.sign * r.weight },
      COLLECT { MATCH (a)-[r]-(c) WHERE r.strength IS NOT NULL
                  AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf)
                  AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd) RETURN r.sign * r.weight },
      COLLECT { MATCH (b)-[r]-(c) WHERE r.strength IS NOT NULL
                  AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf)
                  AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd) RETURN r.sign * r.weight }] AS ties
WITH c, [t IN ties | CASE WHEN size(t) > 0 THEN round(reduce(v = 0.0, x IN t | v + x), 4) END] AS net
WITH c, net, [v IN net | CASE WHEN v IS NULL THEN '?' WHEN v > 0 THEN '+' WHEN v < 0 THEN '-' ELSE '0' END] AS s
RETURN c.id AS third, c.name AS name, net[0] AS ab, net[1] AS ac, net[2] AS bc,
       s[0] + s[1] + s[2] AS signs,
       CASE WHEN none(v IN net WHERE v IS NULL OR v = 0) THEN sign(net[0]) * sign(net[1]) * sign(net[2]) > 0 END AS balanced
ORDER BY CASE balanced WHEN false THEN 0 WHEN true THEN 1 ELSE 2 END, third
