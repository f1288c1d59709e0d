// name: as-of
// description: The influence relationships in force on a date (since <= date <= until, a missing bound being open), with sign and strength.
// param: date date default 2025-06-02 - the day
// columns: from, type, to, symmetric, sign, strength, since, until, relationship
// view: from, type, to, sign, strength, since, until
// evidence: relationship, symmetric
//
// In Neo4j Browser, set the parameters first:
// :param date => date('2025-06-02');
//
// Influence relationships are those with a strength between two actors. A partial date
// covers its whole span: since 2025-05 starts on 2025-05-01 (sinceStart), until 2025-05
// ends on 2025-05-31 (untilEnd). since and until are shown as written. Sorted by from,
// to, type and ID.
MATCH (a:Actor)-[r]->(b:Actor)
WHERE r.strength IS NOT NULL
  AND (r.sinceStart IS NULL OR r.sinceStart <= $date)
  AND (r.untilEnd IS NULL OR $date <= r.untilEnd)
RETURN a.id AS from, type(r) AS type, b.id AS to, r.symmetric AS symmetric, r.sign AS sign,
       round(r.strength, 4) AS strength, r.since AS since, r.until AS until, r.id AS relationship
ORDER BY from, to, type, relationship
