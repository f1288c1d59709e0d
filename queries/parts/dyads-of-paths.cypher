{{- /* The net tie (part dyad) of every ordered pair of consecutive actors on the paths of
list {{.Args.paths}}, each way, and of each path's first actor to every actor it passes
through (part routes drops a route through an actor its source is hostile to, or over a
pair one side of which is hostile to the other). Grouped by their first actor, so that a
lookup (part dyad-of) scans a short list. Args: paths. Binds dyads. */ -}}
CALL ({{.Args.paths}}) {
  UNWIND {{.Args.paths}} AS p
  UNWIND range(0, length(p) - 1) AS i
  UNWIND [[nodes(p)[i], nodes(p)[i + 1]], [nodes(p)[i + 1], nodes(p)[i]]]
         + CASE WHEN i = 0 THEN [] ELSE [[nodes(p)[0], nodes(p)[i]]] END AS pair
  WITH DISTINCT pair[0] AS x, pair[1] AS y
  {{part "dyad" "x" "x" "y" "y" | indent 2}}
  WITH x, collect(d) AS ds
  RETURN collect({x: x, ds: ds}) AS dyads
}
