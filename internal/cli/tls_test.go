package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

// writeCertificates makes a private CA and a server certificate it signs for
// localhost and 127.0.0.1, as Neo4j's SSL policy folder wants them, and returns the
// folder and the CA's PEM file.
func writeCertificates(t *testing.T) (policyDir, caFile string) {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "backchannel test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("private.key", "PRIVATE KEY", keyDER)
	write("public.crt", "CERTIFICATE", leafDER)
	if err := os.Mkdir(filepath.Join(dir, "trusted"), 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, write("ca.pem", "CERTIFICATE", caDER)
}

// TestTLS runs ping and load over encrypted Bolt (neo4j+s://, bolt+s://, +ssc) against a
// server with a certificate from a private CA: trusted through --tls-ca-file, refused
// without it (exit 6).
func TestTLS(t *testing.T) {
	t.Parallel() // it waits for a server of its own
	policy, caFile := writeCertificates(t)
	s := neo4jtest.StartServer(t,
		"dbms.ssl.policy.bolt.enabled=true",
		"dbms.ssl.policy.bolt.base_directory="+policy,
		"dbms.ssl.policy.bolt.private_key=private.key",
		"dbms.ssl.policy.bolt.public_certificate=public.crt",
		"dbms.ssl.policy.bolt.client_auth=NONE",
		"server.bolt.tls_level=OPTIONAL",
	)
	hostPort := strings.TrimPrefix(s.URI, "bolt://")
	_, port, _ := net.SplitHostPort(hostPort)
	auth := []string{"--username", s.Username, "--password", s.Password}

	for _, tc := range []struct {
		uri      string
		ca       bool
		wantCode int
	}{
		{"neo4j+s://localhost:" + port, true, exitOK},
		{"bolt+s://localhost:" + port, true, exitOK},
		{"neo4j+ssc://localhost:" + port, false, exitOK},
		{"bolt+ssc://127.0.0.1:" + port, false, exitOK},
		{"neo4j+s://localhost:" + port, false, exitTLS},
	} {
		args := append([]string{"--uri", tc.uri}, auth...)
		if tc.ca {
			args = append(args, "--tls-ca-file", caFile)
		}
		code, out, errOut := runCLI(t, append(args, "ping")...)
		if code != tc.wantCode {
			t.Errorf("%s (CA file: %v): exit %d, want %d\n%s%s", tc.uri, tc.ca, code, tc.wantCode, out, errOut)
		}
		if tc.wantCode == exitTLS && !strings.Contains(errOut, "certificate is not trusted") {
			t.Errorf("%s: %q does not say the certificate is not trusted", tc.uri, errOut)
		}
	}

	t.Run("load over neo4j+s", func(t *testing.T) {
		args := append([]string{"--uri", "neo4j+s://localhost:" + port, "--tls-ca-file", caFile}, auth...)
		if code, out, errOut := runCLI(t, append(args, "load")...); code != exitOK || !strings.Contains(out, "total") {
			t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
		}
		if code, out, errOut := runCLI(t, append(args, "plan")...); code != exitOK || !strings.HasPrefix(out, "No changes: the graph matches the seed files") {
			t.Errorf("plan after load: exit %d\n%s%s", code, out, errOut)
		}
	})
}
