// name: mediators
// description: Actors in a position to mediate between two actors: positive, event-coded ties to both, ranked by whether they mediate (CAMEO 045) for each side, then by the strength of the ties.
// param: a actor default usa - one party
// param: b actor default hamas - the other party
// columns: mediator, name, kind, mediatesFor, score, tiesToA, tiesToB
//
// In Neo4j Browser, set the parameters first:
// :param a => 'usa';
// :param b => 'hamas';
//
// A tie is a CAMEO-coded influence relationship (r.cameo set: an event type, not an
// affiliation) with a positive sign, in either direction: a mediator must be on
// cooperative terms with both parties, whoever acts on whom. Affiliates of either party
// (an actor joined to it by an affiliation, an influence relationship without a CAMEO
// code such as SPEAKS_FOR or MEMBER_OF) are excluded: an envoy of a party is that party.
// mediatesFor lists the parties the actor mediates for (a tie from it with a CAMEO code
// in root 045, "engage in mediation"). score = the strongest tie to a x the strongest tie
// to b. Ties are listed as stored: -[T]-> directed, -[T]- symmetric.
MATCH (a:Actor {id: $a}), (b:Actor {id: $b})
MATCH (a)-[ra]-(m:Actor)-[rb]-(b)
WHERE m <> a AND m <> b
  AND ra.cameo IS NOT NULL AND ra.sign > 0
  AND rb.cameo IS NOT NULL AND rb.sign > 0
  AND NOT EXISTS { (m)-[f]-(p) WHERE p IN [a, b] AND f.strength IS NOT NULL AND f.cameo IS NULL }
WITH a, b, m, ra, rb
ORDER BY ra.id, rb.id
WITH a, b, m, collect(DISTINCT ra) AS tiesA, collect(DISTINCT rb) AS tiesB
WITH m, tiesA, tiesB,
     [p IN [a, b] WHERE any(r IN CASE p WHEN a THEN tiesA ELSE tiesB END
                           WHERE startNode(r) = m AND r.cameo STARTS WITH '045') | p.id] AS mediatesFor,
     reduce(s = 0.0, r IN tiesA | CASE WHEN r.strength > s THEN r.strength ELSE s END) *
     reduce(s = 0.0, r IN tiesB | CASE WHEN r.strength > s THEN r.strength ELSE s END) AS score
RETURN m.id AS mediator, m.name AS name, m.kind AS kind, mediatesFor, round(score, 4) AS score,
       [r IN tiesA | startNode(r).id + ' -[' + type(r) + ']' + CASE WHEN r.symmetric THEN '- ' ELSE '-> ' END + endNode(r).id] AS tiesToA,
       [r IN tiesB | startNode(r).id + ' -[' + type(r) + ']' + CASE WHEN r.symmetric THEN '- ' ELSE '-> ' END + endNode(r).id] AS tiesToB
ORDER BY size(mediatesFor) DESC, score DESC, mediator
