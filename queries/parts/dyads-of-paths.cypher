{{- /* The net tie (part dyad) of every ordered pair of consecutive actors on the paths of
list {{.Args.paths}}, and of each path's first actor to every actor it passes through
(part routes drops a route through an actor its source is hostile to). Args: paths.
Binds dyads. */ -}}
CALL ({{.Args.paths}}) {
  UNWIND {{.Args.paths}} AS p
  UNWIND range(0, length(p) - 1) AS i
  UNWIND CASE WHEN i = 0 THEN [[nodes(p)[0], nodes(p)[1]]]
              ELSE [[nodes(p)[i], nodes(p)[i + 1]], [nodes(p)[0], nodes(p)[i]]] END AS pair
  WITH DISTINCT pair[0] AS x, pair[1] AS y
  {{part "dyad" "x" "x" "y" "y" | indent 2}}
  RETURN collect(d) AS dyads
}
