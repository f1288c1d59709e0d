// Package schema is the ontology of backchannel, defined once: the record types of
// seed files (Go types with validator/v10 tags), the vocabulary of node kinds and
// relationship types (vocabulary.yaml), and what is derived from them (the JSON Schema
// for editors, Neo4j constraints, the Browser style). It parses seed files with
// positions, a piece at a time, and validates them (ValidateWith), reporting every
// problem as a Finding at file:line:col. It knows nothing of Neo4j's driver.
package schema
