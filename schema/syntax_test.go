package schema

import (
	"fmt"
	"strings"
	"testing"
)

// syntaxCases are hand-written errors and invalid inputs with their true place: the
// offending character, or where an unclosed construct opens. Each want is "line:col
// [rule] a part of the message".
var syntaxCases = []struct {
	name, data, want string
}{
	{"unclosed flow list", "a: 1\nb: 2\nc: [unclosed\nd: 4\n", "3:4 [yaml] did not find expected ',' or ']'"},
	{"key indented less than its siblings", "nodes:\n  - id: a\n    kind: State\n   name: X\n", "4:4 [yaml] did not find expected '-' indicator"},
	{"tab indentation", "nodes:\n  - id: a\n\tkind: State\n", "3:1 [yaml] tab character"},
	{"unterminated double quote", "nodes:\n  - id: a\n    name: \"Unclosed\n    kind: State\n", "3:11 [yaml] found unexpected end of stream"},
	{"unterminated single quote at the end", "nodes:\n  - id: a\n    name: 'it\n", "3:11 [yaml] found unexpected end of stream"},
	{"a mapping value inside a plain value", "nodes:\n  - id: a: b\n", "2:10 [yaml] mapping values are not allowed"},
	{"flow mapping missing a comma", "nodes:\n  - {id: a kind: State}\n", "2:16 [yaml] did not find expected ',' or '}'"},
	{"bad escape", "nodes:\n  - id: a\n    name: \"bad \\q escape\"\n", "3:16 [yaml] found unknown escape character"},
	{"list item under-indented", "nodes:\n  - id: a\n - id: b\n", "3:2 [yaml] did not find expected key"},
	{"stray closing bracket", "nodes: []]\n", "1:10 [yaml] did not find expected key"},
	{"unclosed flow list, keys after it", "a: 1\nnodes: [{id: a}\nb: 2\n", "2:8 [yaml] did not find expected ',' or ']'"},
	{"a: b: c", "a: b: c: d\n", "1:5 [yaml] mapping values are not allowed"},
	{"text after a quoted value", "key2: \"quoted2\" no key: nor value\n", "1:23 [yaml] mapping values are not allowed"},
	{"content after ...", "sources: []\n...\nnodes:\n  - id: Bad_ID\n", "3:1 [yaml] content after the end of the document"},
	{"syntax error after ...", "sources: []\n...\n[unclosed\n", "3:1 [yaml] content after the end of the document"},
	{"a key after a flow-mapping root", "{sources: []}\nnodes:\n  - id: Bad_ID\n", "2:1 [yaml] did not find expected <document start>"},
	{"] after a flow-list root", "[ a, b, c ] ]\n", "1:13 [yaml] did not find expected <document start>"},
	{"a second document", "nodes: []\n---\nsources: []\n", "2:1 [yaml] a second YAML document"},
	{"a second document after a flow root", "{nodes: []}\n---\n{}\n", "2:1 [yaml] a second YAML document"},
	{"%YAML 1.2 without ---", "%YAML 1.2\nnodes: []\n", "1:1 [yaml] must be followed by ---"},
	{"%YAML 1.2 then ... and no document", "%YAML 1.2\n...\n", "1:1 [yaml] must be followed by ---"},
	{"a block mapping on the --- line", "--- a: b\n", "1:6 [yaml] mapping values are not allowed"},
	{"unclosed flow mapping at the end", "nodes:\n  - {id: a, kind: State\n", "2:5 [yaml] did not find expected ',' or '}'"},
	{"unclosed list of a record's aliases", "nodes:\n  - id: a\n    aliases: [x, y\n    kind: State\n", "3:14 [yaml] did not find expected ',' or ']'"},
	{"a plain value over two keys", "nodes:\n  - id: a\n    kind: State\n    name X\n    wikidata: Q1\n", "4:5 [yaml] could not find expected ':'"},
	{"a list item where a key belongs", "nodes:\n  - id: a\n    - kind: State\n", "3:5 [yaml] did not find expected key"},
	{"an unknown anchor", "nodes:\n  - id: a\n    name: *nothing\n", "3:11 [yaml] aliases"},
	{"a control character", "nodes:\n  - id: a\n    name: x\x07y\n", "3:12 [yaml] control characters are not allowed"},
	{"invalid UTF-8", "nodes:\n  - id: a\n    name: \"caf\xe9\"\n", "3:15 [yaml] invalid UTF-8"},
	{"a NUL byte", "nodes:\n  - id: a\n  \x00\n", "3:3 [yaml] NUL byte"},
	{"an unclosed quote in the third record", "nodes:\n  - id: a\n  - id: b\n  - id: 'c\n", "4:9 [yaml] found unexpected end of stream"},
	{"a tab in the second list", "sources: []\nnodes:\n  - id: a\n\t- id: b\n", "4:1 [yaml] tab character"},
	{"a directive after content", "nodes: []\n%YAML 1.2\n---\n", "2:1 [yaml] a directive (%...) may only come before"},
	{"an unclosed double quote as a key", "nodes:\n  - \"id: a\n", "2:5 [yaml] found unexpected end of stream"},
}

func TestSyntaxErrorPositions(t *testing.T) {
	if len(syntaxCases) < 30 {
		t.Fatalf("only %d cases", len(syntaxCases))
	}
	for _, tc := range syntaxCases {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := ParseFile("s.yaml", []byte(tc.data), func(Record) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			pos, rest, _ := strings.Cut(tc.want, " ")
			rule, text, _ := strings.Cut(strings.TrimPrefix(rest, "["), "] ")
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%d:%d [%s] %s", f.Line, f.Col, f.Rule, f.Message))
				if fmt.Sprintf("%d:%d", f.Line, f.Col) == pos && f.Rule == rule && strings.Contains(f.Message, text) {
					return
				}
			}
			t.Errorf("%q: want %s, got:\n%s", tc.data, tc.want, strings.Join(got, "\n"))
		})
	}
}
