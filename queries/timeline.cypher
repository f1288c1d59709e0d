// name: timeline
// description: The events, proposals and agreements an actor took part in, put forward or is party to, itself or through people and bodies acting for it, in date order.
// param: actor actor default hamas - the actor whose events are listed (an ID, name or alias)
// columns: date, precision, end, event, name, via, places, others
// view: date, end, via, name
// evidence: event, precision, places, others
//
// In Neo4j Browser, set the parameters first (the actor by ID, name or alias):
// :param actor => 'hamas';
//
// An event counts when the actor took part in it, a proposal when it put it forward
// (PROPOSES, role "proposes"), an agreement when it is a party (PARTY_TO, role
// "party_to"), or when someone acting for it did: an actor
// joined to it by a chain of up to three affiliations (influence relationships without a
// CAMEO code, such as SPEAKS_FOR, MEMBER_OF, LEADS, followed from the member to the body).
// via lists who took part (the actor's own ID when it did) with their role. Dates are
// kept as written, with their precision (year, month, day); events sort by the first day
// a date covers (dateStart), so 2025-05 sorts before 2025-05-12, then by ID. places are
// where the event occurred (OCCURRED_IN); others are the other participants.
// part: resolve-actor of=$actor as=a
CALL () {
  WITH trim($actor) AS input
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
MATCH (p:Actor) ((u)-[f]->(w:Actor) WHERE f.strength IS NOT NULL AND f.cameo IS NULL){0,3} (a)
WITH DISTINCT a, p
MATCH (p)-[pi:PARTICIPATED_IN|PROPOSES|PARTY_TO]->(e)
WHERE e:Event OR e:Proposal OR e:Agreement
WITH a, e, p, pi, coalesce(pi.role, toLower(type(pi))) AS role
ORDER BY p.id, pi.id
WITH a, e, collect(DISTINCT p) AS participants, collect(p.id + coalesce(' (' + role + ')', '')) AS via
RETURN e.date AS date, e.datePrecision AS precision, e.end AS end, e.id AS event, e.name AS name, via,
       COLLECT { MATCH (e)-[:OCCURRED_IN]->(pl:Place) RETURN pl.id ORDER BY pl.id } AS places,
       COLLECT { MATCH (o:Actor)-[:PARTICIPATED_IN|PROPOSES|PARTY_TO]->(e) WHERE NOT o IN participants RETURN DISTINCT o.id ORDER BY o.id } AS others
ORDER BY e.dateStart, e.id
