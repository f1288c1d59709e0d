{{- /* The undirected tie of {{.Args.x}} and {{.Args.y}} on $asOf, as structural balance reads
it: the mean of their two net ties (part dyad, each direction), null when no influence
relationship joins them that day. Args: x, y, as (the variable to bind), keep (the
variables carried through). */ -}}
{{part "dyad" "x" .Args.x "y" .Args.y "as" "fwd"}}
{{part "dyad" "x" .Args.y "y" .Args.x "as" "back"}}
WITH {{keep .Args}}CASE WHEN size(fwd.channels) + size(back.channels) > 0 THEN (fwd.net + back.net) / 2 END AS {{.Args.as}}
