// Package neo4jconn turns connection settings into a connected Neo4j driver, classifies
// the driver's errors into a few the user can act on, and keeps the password out of every
// message. The loader and the query library both use it; it knows nothing of either.
package neo4jconn

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// DefaultURI is where a local server started by scripts/neo4j listens.
const DefaultURI = "bolt://localhost:7687"

// Settings say where and as whom to connect. They follow Neo4j's own conventions:
// NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE.
type Settings struct {
	URI      string
	Username string
	Password string
	// Database is the database to use; empty means the server's default database.
	Database string
	// UserAgent is sent to the server (shown in SHOW TRANSACTIONS and the query log).
	UserAgent string
	// CAFile is a PEM file of certificate authorities to trust for +s URIs, beside the
	// system's (a self-hosted server or cluster with a private CA).
	CAFile string
	// MaxRetryTime is how long a transaction that failed for a transient reason (a
	// deadlock, a lost connection, a restarting server) is retried; 0 means the
	// driver's default, 30 seconds.
	MaxRetryTime time.Duration
}

// DisplayURI is the URI as it may be shown: any password in it is masked.
func (s Settings) DisplayURI() string {
	u, err := url.Parse(s.URI)
	if err != nil {
		// Unparsable, but it may still carry credentials: mask what precedes the last "@".
		if at := strings.LastIndex(s.URI, "@"); at >= 0 {
			scheme, _, _ := strings.Cut(s.URI, "://")
			return scheme + "://xxxxx" + s.URI[at:]
		}
		return s.URI
	}
	if u.User == nil {
		return s.URI
	}
	return u.Redacted()
}

// Redact masks what of the settings must not be shown: a password written into the URI,
// and the password itself where it stands as a whole word of at least minRedacted
// characters. Neither the driver's messages nor ours contain the password (the URI may
// not carry one, see Open), so this is a second line of defence: it never masks a short
// password, which would garble the message around every occurrence of its letters and
// show where they are.
func (s Settings) Redact(text string) string {
	if s.URI != "" {
		text = strings.ReplaceAll(text, s.URI, s.DisplayURI())
	}
	if len(s.Password) < minRedacted {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, s.Password)
		if i < 0 {
			break
		}
		end := i + len(s.Password)
		if wordBoundary(text, i, end) {
			b.WriteString(text[:i])
			b.WriteString("****")
		} else {
			b.WriteString(text[:end])
		}
		text = text[end:]
	}
	b.WriteString(text)
	return b.String()
}

// minRedacted is the shortest password Redact masks.
const minRedacted = 8

// wordBoundary reports whether text[i:end] stands alone: no letter or digit touches it.
func wordBoundary(text string, i, end int) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if r, _ := utf8.DecodeLastRuneInString(text[:i]); i > 0 && word(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && word(r) {
		return false
	}
	return true
}

// DB is an open driver bound to one database.
type DB struct {
	Driver   neo4j.DriverWithContext
	Settings Settings
}

// Open creates the driver and checks that the server answers and accepts the
// credentials. Errors are classified (see Error).
func Open(ctx context.Context, s Settings) (*DB, error) {
	uri := s.URI
	if uri == "" {
		uri = DefaultURI
	}
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return nil, &Error{Kind: ErrBadURI, Msg: fmt.Sprintf("invalid Neo4j URI %q: want scheme://host[:port], e.g. %s", s.DisplayURI(), DefaultURI), Err: err}
	}
	if u.User != nil {
		return nil, &Error{Kind: ErrBadURI, Msg: fmt.Sprintf("the Neo4j URI %s carries credentials: pass them as NEO4J_USERNAME and NEO4J_PASSWORD instead", u.Redacted())}
	}
	s.URI = uri
	var tlsConfig *tls.Config
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return nil, &Error{Kind: ErrBadURI, Msg: fmt.Sprintf("read the CA file: %v", err), Err: err}
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &Error{Kind: ErrBadURI, Msg: fmt.Sprintf("the CA file %s holds no PEM certificate", s.CAFile)}
		}
		tlsConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth(s.Username, s.Password, ""), func(c *config.Config) {
		if s.UserAgent != "" {
			c.UserAgent = s.UserAgent
		}
		c.TlsConfig = tlsConfig
		c.SocketConnectTimeout = 5 * time.Second
		c.ConnectionAcquisitionTimeout = 30 * time.Second
		if s.MaxRetryTime > 0 {
			c.MaxTransactionRetryTime = s.MaxRetryTime
		}
	})
	if err != nil {
		return nil, &Error{Kind: ErrBadURI, Msg: fmt.Sprintf("invalid Neo4j URI %s: %s (schemes: bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc)", s.DisplayURI(), s.Redact(err.Error())), Err: err}
	}
	db := &DB{Driver: drv, Settings: s}
	if err := drv.VerifyConnectivity(ctx); err != nil {
		_ = drv.Close(ctx)
		return nil, db.classify(err, true)
	}
	return db, nil
}

// Close closes the driver.
func (db *DB) Close(ctx context.Context) error {
	return db.Driver.Close(ctx)
}

// Session opens a session on the configured database.
func (db *DB) Session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return db.Driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.Settings.Database, AccessMode: mode})
}

// Info describes the server a DB talks to.
type Info struct {
	Address   string        `json:"address"`
	Agent     string        `json:"agent"`
	Protocol  string        `json:"protocol"`
	Edition   string        `json:"edition"`
	Version   string        `json:"version"`
	Database  string        `json:"database"`
	RoundTrip time.Duration `json:"roundTripNs"`
}

// Ping reports the server's agent, edition and version, the database in use and the
// round-trip time of a trivial query on it.
func (db *DB) Ping(ctx context.Context) (_ Info, err error) {
	si, err := db.Driver.GetServerInfo(ctx)
	if err != nil {
		return Info{}, db.Classify(err)
	}
	info := Info{
		Address:  si.Address(),
		Agent:    si.Agent(),
		Protocol: fmt.Sprintf("Bolt %d.%d", si.ProtocolVersion().Major, si.ProtocolVersion().Minor),
	}
	session := db.Session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, session.Close(ctx)) }()

	// The first query pays for routing and database lookup; time the second one.
	res, err := session.Run(ctx, "CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition", nil)
	if err != nil {
		return Info{}, db.Classify(err)
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return Info{}, db.Classify(err)
	}
	if info.Version, _, err = neo4j.GetRecordValue[string](rec, "version"); err != nil {
		return Info{}, fmt.Errorf("dbms.components: %w", err)
	}
	if info.Edition, _, err = neo4j.GetRecordValue[string](rec, "edition"); err != nil {
		return Info{}, fmt.Errorf("dbms.components: %w", err)
	}

	start := time.Now()
	res, err = session.Run(ctx, "RETURN 1", nil)
	if err != nil {
		return Info{}, db.Classify(err)
	}
	summary, err := res.Consume(ctx)
	if err != nil {
		return Info{}, db.Classify(err)
	}
	info.RoundTrip = time.Since(start)
	info.Database = summary.Database().Name()
	return info, nil
}
