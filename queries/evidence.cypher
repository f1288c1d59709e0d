// name: evidence
// description: Every source and quote behind one relationship, by its ID, with the source's publisher, date, URL and reliability.
// param: relationship relationship default usa-negotiates-with-hamas-2025-03 - the relationship's ID
// columns: relationship, type, from, to, n, source, publisher, title, published, url, reliability, quote, note
// view: n, source, published, quote
// evidence: title, url, reliability, note
//
// In Neo4j Browser, set the parameters first:
// :param relationship => 'usa-negotiates-with-hamas-2025-03';
//
// One row per evidence entry, in the order the seed file gives them (n counts from 1).
// quote is the verbatim quote, or null where the entry carries a note instead; url is
// the source's URL, or the copy kept beside the seeds (file) where it has none.
// The relationship is found by its id property whatever its type, through the
// any_relationship_id full-text index over every type's id (backchannel load creates it),
// not by a scan of every relationship.
// part: relationship-by-id of=$relationship
CALL db.index.fulltext.queryRelationships('any_relationship_id', '"' + replace(replace($relationship, '\\', '\\\\'), '"', '\\"') + '"') YIELD relationship AS r
WITH r WHERE r.id = $relationship
MATCH (a)-[r]->(b)
// end part: relationship-by-id
UNWIND range(0, size(coalesce(r.evidenceSources, [])) - 1) AS i
OPTIONAL MATCH (s:Source {id: r.evidenceSources[i]})
RETURN r.id AS relationship, type(r) AS type, a.id AS from, b.id AS to, i + 1 AS n,
       r.evidenceSources[i] AS source, s.publisher AS publisher, s.title AS title,
       s.published AS published, coalesce(s.url, s.file) AS url, s.reliability AS reliability,
       CASE WHEN r.evidenceQuotes[i] <> '' THEN r.evidenceQuotes[i] END AS quote,
       CASE WHEN r.evidenceNotes[i] <> '' THEN r.evidenceNotes[i] END AS note
ORDER BY type, from, to, n
