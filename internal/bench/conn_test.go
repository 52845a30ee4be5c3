package bench

import (
	"bufio"
	"strings"
	"testing"
)

func TestReadHead(t *testing.T) {
	for name, tc := range map[string]struct {
		in             string
		status, length int
		ok             bool
	}{
		"ok":              {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n", 200, 12, true},
		"ok/lower-case":   {"HTTP/1.1 400 Bad Request\r\ncontent-length:  7 \r\n\r\n", 400, 7, true},
		"fail/no-length":  {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0, 0, false},
		"fail/http10":     {"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", 0, 0, false},
		"fail/bad-status": {"HTTP/1.1 2x0 OK\r\nContent-Length: 1\r\n\r\n", 0, 0, false},
		"fail/bad-length": {"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", 0, 0, false},
		"fail/truncated":  {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n", 0, 0, false},
		"fail/empty":      {"", 0, 0, false},
	} {
		status, length, err := readHead(bufio.NewReader(strings.NewReader(tc.in)))
		if (err == nil) != tc.ok || (tc.ok && (status != tc.status || length != tc.length)) {
			t.Errorf("%s: got %d %d %v, want %d %d ok=%v", name, status, length, err, tc.status, tc.length, tc.ok)
		}
	}
}

// FuzzReadHead: any bytes from the network give a head or an error, and
// never a negative length.
func FuzzReadHead(f *testing.F) {
	f.Add("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n")
	f.Add("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n")
	f.Add("HTTP/1.1 999 X\r\ncontent-length:99999999999999999999\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		status, length, err := readHead(bufio.NewReader(strings.NewReader(in)))
		if err == nil && (length < 0 || status < 0) {
			t.Fatalf("accepted a negative status or length: %d %d", status, length)
		}
	})
}
