package queries

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/backchannel/backchannel/internal/output"
)

// WriteList writes the queries with their parameters and columns: as text, one block per
// query (its name, its description, then a line per parameter); or as one JSON array.
func WriteList(w io.Writer, format output.Format, list []*Query) error {
	if format == output.JSON {
		return output.WriteJSON(w, listJSON(list))
	}
	var b bytes.Buffer
	for i, q := range list {
		if i > 0 {
			fmt.Fprintln(&b)
		}
		fmt.Fprintln(&b, q.Name)
		fmt.Fprintln(&b, "    "+q.Description)
		tw := output.TableWriter(&b)
		for _, p := range q.Params {
			var detail []string
			if p.HasDefault {
				detail = append(detail, "default "+p.Default)
			}
			if p.Min != "" || p.Max != "" {
				detail = append(detail, p.Min+".."+p.Max)
			}
			if len(p.Values) > 0 {
				detail = append(detail, strings.Join(p.Values, "|"))
			}
			fmt.Fprintf(tw, "    --param %s=%s\t%s\t%s\n", p.Name, strings.ToUpper(string(p.Type)), strings.Join(detail, ", "), p.Meaning)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	// at 100 columns, descriptions and meanings go on under themselves
	_, err := io.WriteString(w, output.FitLines(b.String(), 100))
	return err
}

type paramJSON struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Default string   `json:"default,omitempty"`
	Min     string   `json:"min,omitempty"`
	Max     string   `json:"max,omitempty"`
	Values  []string `json:"values,omitempty"`
	Meaning string   `json:"meaning"`
}

type queryJSON struct {
	Name        string      `json:"name"`
	Description string      `json:"description"`
	File        string      `json:"file"`
	Params      []paramJSON `json:"params"`
	Columns     []string    `json:"columns"`
}

func listJSON(list []*Query) []queryJSON {
	out := make([]queryJSON, len(list))
	for i, q := range list {
		out[i] = queryJSON{Name: q.Name, Description: q.Description, File: "queries/" + q.File, Columns: q.Columns, Params: []paramJSON{}}
		for _, p := range q.Params {
			out[i].Params = append(out[i].Params, paramJSON{p.Name, string(p.Type), p.Default, p.Min, p.Max, p.Values, p.Meaning})
		}
	}
	return out
}
