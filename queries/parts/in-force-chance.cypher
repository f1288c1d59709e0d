{{- /* How likely relationship {{.Args.r}} is in force on $asOf, given the precision of its
dates: 1 when its whole span is known to cover the day; for a bound known only to the
month or year whose span holds the day, the share of that span's days that put the
relationship in force on it (a uniform prior over the stated precision: since 2025-03 is
in force on 1 March with chance 1/31, on 31 March with 31/31). Args: r, day (default $asOf). */ -}}
CASE WHEN {{.Args.r}}.sinceEnd IS NULL OR {{.Args.r}}.sinceEnd <= {{day .Args}} THEN 1.0
     ELSE (duration.inDays({{.Args.r}}.sinceStart, {{day .Args}}).days + 1.0) / (duration.inDays({{.Args.r}}.sinceStart, {{.Args.r}}.sinceEnd).days + 1) END
  * CASE WHEN {{.Args.r}}.untilStart IS NULL OR {{day .Args}} <= {{.Args.r}}.untilStart THEN 1.0
         ELSE (duration.inDays({{day .Args}}, {{.Args.r}}.untilEnd).days + 1.0) / (duration.inDays({{.Args.r}}.untilStart, {{.Args.r}}.untilEnd).days + 1) END
