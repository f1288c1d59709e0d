package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/neo4jconn"
)

// connectionFlags are the global flags that say where and as whom to connect.
func connectionFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "uri", EnvVars: []string{"NEO4J_URI"}, Value: neo4jconn.DefaultURI, Usage: "Neo4j URI: bolt://, neo4j:// (routing) or neo4j+s:// (Aura)"},
		&cli.StringFlag{Name: "username", EnvVars: []string{"NEO4J_USERNAME"}, Value: "neo4j", Usage: "Neo4j user"},
		&cli.StringFlag{Name: "password", EnvVars: []string{"NEO4J_PASSWORD"}, Usage: "Neo4j password (prefer the environment or --password-file)", DefaultText: "the local development password"},
		&cli.StringFlag{Name: "password-file", EnvVars: []string{"NEO4J_PASSWORD_FILE"}, Usage: "read the Neo4j password from `FILE` (first line); wins over --password"},
		&cli.StringFlag{Name: "database", EnvVars: []string{"NEO4J_DATABASE"}, Usage: "Neo4j database", DefaultText: "the server's default"},
		&cli.StringFlag{Name: "tls-ca-file", EnvVars: []string{"NEO4J_TLS_CA_FILE"}, Usage: "trust the certificate authorities in this PEM `FILE` too, for +s URIs (a private CA)"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show causes under each error"},
	}
}

// settings builds the connection settings from the global flags and the environment.
// They are kept in st so that run can keep the password out of what it prints.
func settings(c *cli.Context, st *state) (neo4jconn.Settings, error) {
	s := neo4jconn.Settings{
		URI:       c.String("uri"),
		Username:  c.String("username"),
		Password:  c.String("password"),
		Database:  c.String("database"),
		UserAgent: "backchannel/" + version,
		CAFile:    c.String("tls-ca-file"),
	}
	st.settings = &s
	if f := c.String("password-file"); f != "" {
		pw, warning, err := neo4jconn.ReadPasswordFile(f)
		if err != nil {
			return s, usageError(err)
		}
		if warning != "" {
			fmt.Fprintln(c.App.ErrWriter, "backchannel: warning: "+warning)
		}
		s.Password = pw
	} else if !c.IsSet("password") {
		s.Password = neo4jconn.DevPassword
	}
	return s, nil
}

// withDB is the action of every command that talks to Neo4j: it connects, runs f and
// closes the driver, joining a close error with f's. Arguments are checked in f before
// anything slow: connecting is the last step before the work.
func withDB(st *state, f func(c *cli.Context, connect func() (*neo4jconn.DB, error)) error) cli.ActionFunc {
	return func(c *cli.Context) (err error) {
		var db *neo4jconn.DB
		defer func() {
			if db != nil {
				err = errors.Join(err, db.Close(context.WithoutCancel(c.Context)))
			}
		}()
		return f(c, func() (*neo4jconn.DB, error) {
			s, err := settings(c, st)
			if err != nil {
				return nil, err
			}
			db, err = neo4jconn.Open(c.Context, s)
			return db, err
		})
	}
}
