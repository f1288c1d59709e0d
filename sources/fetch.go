package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fetcher fetches pages politely: a few at a time, at most one at a time per host, with
// a timeout and a size cap per page, retrying 429 and 5xx answers with backoff.
type Fetcher struct {
	// UserAgent names the tool and its version.
	UserAgent string
	// Timeout bounds one request, body included.
	Timeout time.Duration
	// MaxBytes caps a page's body; a larger page is not checked.
	MaxBytes int64
	// Concurrency is how many pages are fetched at once (over all hosts).
	Concurrency int
	// Retries is how many times a 429 or 5xx answer is retried.
	Retries int
	// Backoff is the first wait before a retry without Retry-After; it doubles each time.
	Backoff time.Duration
	// MaxWait caps a wait, Retry-After included.
	MaxWait time.Duration
	// Transport, when set, replaces http.DefaultTransport (tests).
	Transport http.RoundTripper

	once  sync.Once
	slots chan struct{}
	mu    sync.Mutex
	hosts map[string]*sync.Mutex
}

// Defaults for a Fetcher's zero fields.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultMaxBytes    = 10 << 20
	DefaultConcurrency = 4
	DefaultRetries     = 3
	DefaultBackoff     = time.Second
	DefaultMaxWait     = 60 * time.Second
)

// Redirect is one redirect followed.
type Redirect struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Status int    `json:"status"`
}

// Permanent reports whether the redirect says the page has moved for good.
func (r Redirect) Permanent() bool {
	return r.Status == http.StatusMovedPermanently || r.Status == http.StatusPermanentRedirect
}

// Page is what a fetch found.
type Page struct {
	URL       string     `json:"url"`
	FinalURL  string     `json:"finalUrl,omitempty"`
	Redirects []Redirect `json:"redirects,omitempty"`
	Status    int        `json:"status,omitempty"`
	// ContentType is the media type the server gave.
	ContentType string    `json:"contentType,omitempty"`
	Retrieved   time.Time `json:"retrieved"`
	// SHA256 is the hash of the extracted, normalised text.
	SHA256 string `json:"sha256,omitempty"`
	// Text is the extracted, normalised text (see Extract and Normalize).
	Text string `json:"text,omitempty"`
	// Err says why the page could not be read (unreachable: network error or status).
	Err error `json:"-"`
	// NotCheckable says why a page that was read holds no text to check (a PDF).
	NotCheckable string `json:"notCheckable,omitempty"`
}

func (f *Fetcher) init() {
	f.once.Do(func() {
		n := f.Concurrency
		if n <= 0 {
			n = DefaultConcurrency
		}
		f.slots = make(chan struct{}, n)
		f.hosts = map[string]*sync.Mutex{}
	})
}

func (f *Fetcher) host(h string) *sync.Mutex {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.hosts[h]
	if !ok {
		m = &sync.Mutex{}
		f.hosts[h] = m
	}
	return m
}

func or[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

// Fetch fetches one page. It is safe to call from many goroutines: the fetcher keeps to
// its concurrency and to one request at a time per host.
func (f *Fetcher) Fetch(ctx context.Context, raw string) Page {
	f.init()
	p := Page{URL: raw}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		p.Err = fmt.Errorf("not an http(s) address")
		return p
	}
	hm := f.host(u.Host)
	hm.Lock()
	defer hm.Unlock()
	select {
	case f.slots <- struct{}{}:
	case <-ctx.Done():
		p.Err = ctx.Err()
		return p
	}
	defer func() { <-f.slots }()

	wait := or(f.Backoff, DefaultBackoff)
	for attempt := 0; ; attempt++ {
		p.Redirects = nil
		resp, body, err := f.get(ctx, raw, &p)
		p.Retrieved = time.Now().UTC()
		if err != nil {
			p.Err = err
			return p
		}
		p.Status = resp.StatusCode
		p.FinalURL = resp.Request.URL.String()
		if (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) && attempt < or(f.Retries, DefaultRetries) {
			d := wait
			if ra, ok := retryAfter(resp.Header.Get("Retry-After"), p.Retrieved); ok {
				d = ra
			}
			d = min(d, or(f.MaxWait, DefaultMaxWait))
			select {
			case <-time.After(d):
			case <-ctx.Done():
				p.Err = ctx.Err()
				return p
			}
			wait *= 2
			continue
		}
		if resp.StatusCode != http.StatusOK {
			p.Err = fmt.Errorf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
			return p
		}
		mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if mt == "" {
			mt = http.DetectContentType(body)
			mt, _, _ = mime.ParseMediaType(mt)
		}
		p.ContentType = mt
		switch mt {
		case "text/html", "application/xhtml+xml":
			text, err := Extract(bytes.NewReader(body))
			if err != nil {
				p.NotCheckable = "its HTML could not be read: " + err.Error()
				return p
			}
			p.Text = text
		case "text/plain":
			p.Text = Normalize(string(body))
		default:
			p.NotCheckable = "its content type is " + mt + ", not HTML or text"
			return p
		}
		p.SHA256 = hashText(p.Text)
		return p
	}
}

// get makes one request and reads the body up to the cap.
func (f *Fetcher) get(ctx context.Context, raw string, p *Page) (*http.Response, []byte, error) {
	client := &http.Client{
		Timeout:   or(f.Timeout, DefaultTimeout),
		Transport: f.Transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("more than 10 redirects")
			}
			st := 0
			if req.Response != nil {
				st = req.Response.StatusCode
			}
			p.Redirects = append(p.Redirects, Redirect{From: via[len(via)-1].URL.String(), To: req.URL.String(), Status: st})
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", or(f.UserAgent, "backchannel (sources verify)"))
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, cleanError(err)
	}
	defer resp.Body.Close()
	max := or(f.MaxBytes, DefaultMaxBytes)
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, nil, cleanError(err)
	}
	if int64(len(body)) > max {
		return nil, nil, fmt.Errorf("page larger than the %d-byte cap", max)
	}
	return resp, body, nil
}

// cleanError drops the method and address net/http puts around an error (the finding
// names the address already).
func cleanError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
		return errors.New("timed out")
	}
	return err
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}
