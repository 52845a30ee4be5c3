package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// tokenConn is one keep-alive HTTP/1.1 connection that posts the same
// token request again and again without allocating per request. The load
// generator shares the machine with the server it measures, so it must
// take as little CPU as it can, as wrk does: net/http's client cost about
// 5% of this 2-core machine at 2,000 requests a second.
type tokenConn struct {
	addr string
	req  []byte
	// next, when set, gives the request to send each time instead of
	// req (a signed request changes with its X-Amz-Date).
	next func() []byte
	// check, when set, is given each 200 answer's body (a trigger run
	// checks every token's claims); its error fails the request.
	check    func(body []byte) error
	deadline time.Time
	conn     net.Conn
	br       *bufio.Reader
}

func newTokenConn(tokenURL *url.URL, basic string, body []byte, deadline time.Time) *tokenConn {
	var req bytes.Buffer
	fmt.Fprintf(&req, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n",
		tokenURL.RequestURI(), tokenURL.Host, basic, len(body))
	req.Write(body)
	return &tokenConn{addr: hostPort(tokenURL), req: req.Bytes(), deadline: deadline}
}

// hostPort is the address to dial for u: its host, with port 80 when it
// names none (plain HTTP only: HTTPS goes through net/http).
func hostPort(u *url.URL) string {
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return u.Host
}

func (c *tokenConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// post sends the request and reads the whole response; a non-200 answer
// is an error.
func (c *tokenConn) post() error {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return err
		}
		conn.SetDeadline(c.deadline)
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	req := c.req
	if c.next != nil {
		req = c.next()
	}
	if _, err := c.conn.Write(req); err != nil {
		c.close()
		return err
	}
	status, length, err := readHead(c.br)
	var checked error
	if err == nil && (c.check != nil || status != 200) {
		// Read in place, before Discard: the body is in the buffer.
		var body []byte
		if body, err = readBody(c.br, length); err == nil {
			if status != 200 {
				checked = fmt.Errorf("bench: HTTP status %d: %s", status, clip(body))
			} else {
				checked = c.check(body)
			}
		}
	}
	if err == nil {
		_, err = c.br.Discard(length)
	}
	if err != nil {
		c.close()
		return err
	}
	return checked
}

var errResponse = errors.New("bench: malformed HTTP response")

// readHead reads a response's status line and headers, and returns the
// status and Content-Length.
func readHead(br *bufio.Reader) (status, length int, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, 0, errResponse
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, 0, errResponse
	}
	length = -1
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return 0, 0, err
		}
		if len(line) <= 2 {
			break
		}
		const name = "content-length:"
		if len(line) > len(name) && bytes.EqualFold(line[:len(name)], []byte(name)) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(line[len(name):]))); err != nil {
				return 0, 0, errResponse
			}
		}
	}
	if length < 0 {
		return 0, 0, errResponse // cognitod always sends Content-Length here
	}
	return status, length, nil
}
