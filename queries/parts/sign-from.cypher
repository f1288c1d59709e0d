{{- /* The sign of relationship {{.Args.r}} followed from actor {{.Args.from}}: its Goldstein
sign, or the reverse score a curator set on a symmetric relationship followed back. Args:
r, from. */ -}}
CASE WHEN startNode({{.Args.r}}) = {{.Args.from}} OR {{.Args.r}}.reverseSign IS NULL THEN {{.Args.r}}.sign ELSE {{.Args.r}}.reverseSign END
