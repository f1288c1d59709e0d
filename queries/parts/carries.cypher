{{- /* The influence relationship {{.Args.r}} carries from actor {{.Args.from}} to its other end,
before confidence: its forward flow from its start node, its backward flow from its end
node (schema/vocabulary.yaml, flow:); null for a relationship that carries none. Args:
r, from. */ -}}
CASE WHEN startNode({{.Args.r}}) = {{.Args.from}} THEN {{.Args.r}}.fwdInfluence ELSE {{.Args.r}}.revInfluence END
