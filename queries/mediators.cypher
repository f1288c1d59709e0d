// name: mediators
// description: Third parties in a position to mediate between two actors on a date: positive mediation, hosting or negotiation ties to both sides in force then, those mediating for both first.
// param: a actor default usa - one party (an ID, name or alias)
// param: b actor default hamas - the other party (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day count
// columns: mediator, name, kind, mediatesFor, score, tiesToA, tiesToB
// view: mediator, mediatesFor, score, tiesToA, tiesToB
// evidence: name, kind
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param a => 'usa';
// :param b => 'hamas';
// :param asOf => date('2025-06-02');
//
// A mediator's tie to a party is a relationship between them, in either direction, in
// force on $asOf (since <= asOf <= until, a missing bound open), with a positive sign
// and a CAMEO code for mediation (045), hosting (043) or negotiation (046), the CAMEO
// "consult" events (root 04) a go-between is coded with. A directed tie counts only from
// the mediator: a party that mediates for or hosts it does not make it a go-between (the
// US mediating for Israel does not make Israel a mediator between the US and Hamas). Arming, aid, appeals or mere
// consultation are not mediation, so a patron of one side with talks to the other is
// not a mediator. Affiliates of either party (joined to it by an affiliation: an
// influence relationship without a CAMEO code, e.g. SPEAKS_FOR) are excluded: an envoy
// of a party is that party. mediatesFor lists the parties the actor mediates for
// (CAMEO 045 from it). score = the strongest tie to a x the strongest tie to b, each
// tie weighted by its confidence (weight). Ties are listed as stored, -[T]-> directed,
// -[T]- symmetric, parallel ones once per type.
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
MATCH (a)-[ra]-(m:Actor)-[rb]-(b)
WHERE m <> a AND m <> b
  AND all(r IN [ra, rb] WHERE r.sign > 0 AND left(r.cameo, 3) IN ['043', '045', '046']
        AND (r.symmetric OR startNode(r) = m)
        AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd))
  AND NOT EXISTS { (m)-[f]-(p) WHERE p IN [a, b] AND f.strength IS NOT NULL AND f.cameo IS NULL }
WITH a, b, m, ra, rb
ORDER BY ra.id, rb.id
WITH a, b, m, collect(DISTINCT ra) AS tiesA, collect(DISTINCT rb) AS tiesB
WITH m, tiesA, tiesB,
     [p IN [a, b] WHERE any(r IN CASE p WHEN a THEN tiesA ELSE tiesB END
                           WHERE startNode(r) = m AND r.cameo STARTS WITH '045') | p.id] AS mediatesFor,
     reduce(s = 0.0, r IN tiesA | CASE WHEN r.weight > s THEN r.weight ELSE s END) *
     reduce(s = 0.0, r IN tiesB | CASE WHEN r.weight > s THEN r.weight ELSE s END) AS score
WITH m, mediatesFor, score,
     [r IN tiesA | startNode(r).id + ' -[' + type(r) + ']' + CASE WHEN r.symmetric THEN '- ' ELSE '-> ' END + endNode(r).id] AS tiesA,
     [r IN tiesB | startNode(r).id + ' -[' + type(r) + ']' + CASE WHEN r.symmetric THEN '- ' ELSE '-> ' END + endNode(r).id] AS tiesB
RETURN m.id AS mediator, m.name AS name, m.kind AS kind, mediatesFor, round(score, 4) AS score,
       reduce(acc = [], t IN tiesA | CASE WHEN t IN acc THEN acc ELSE acc + t END) AS tiesToA,
       reduce(acc = [], t IN tiesB | CASE WHEN t IN acc THEN acc ELSE acc + t END) AS tiesToB
ORDER BY size(mediatesFor) DESC, score DESC, mediator
