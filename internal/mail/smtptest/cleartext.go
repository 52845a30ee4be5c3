package smtptest

import (
	"bytes"
	"net"
	"strings"
	"sync"
)

// clearTextListener hands go-smtp connections that watch what the client
// says before TLS. go-smtp answers an AUTH sent in clear text itself (523,
// when AllowInsecureAuth is off) without calling the session, so a count
// taken in the session alone would miss exactly the password a test must
// prove was never sent. Once STARTTLS is under way the bytes are
// ciphertext and the session counts instead.
type clearTextListener struct {
	net.Listener
	s *Server
}

func (l *clearTextListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &clearTextConn{Conn: c, s: l.s}, nil
}

// The states of the client's side of the conversation, as far as the
// count is concerned.
const (
	commands     = iota
	dataAsked         // DATA sent, the server's answer not yet
	inData            // message lines until "."
	tlsAsked          // STARTTLS sent, the server's answer not yet
	encrypted         // nothing more to read in clear text
	maxWatchLine = 64 // the start of a line is all the count needs
)

type clearTextConn struct {
	net.Conn
	s     *Server
	mu    sync.Mutex
	state int
	line  []byte // the start of the client's current line
}

func (c *clearTextConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	for _, b := range p[:n] {
		if c.state == encrypted {
			break
		}
		if b != '\n' {
			if len(c.line) < maxWatchLine {
				c.line = append(c.line, b)
			}
			continue
		}
		c.clientLine(string(bytes.TrimSuffix(c.line, []byte("\r"))))
		c.line = c.line[:0]
	}
	c.mu.Unlock()
	return n, err
}

// clientLine moves the state on one complete line from the client.
func (c *clearTextConn) clientLine(line string) {
	if c.state == inData {
		if line == "." {
			c.state = commands
		}
		return
	}
	verb, _, _ := strings.Cut(line, " ")
	switch strings.ToUpper(verb) {
	case "AUTH":
		c.s.countAuth()
	case "DATA":
		c.state = dataAsked
	case "STARTTLS":
		c.state = tlsAsked
	}
}

// Write sees go-smtp's replies; go-smtp writes one reply line per call.
func (c *clearTextConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	switch c.state {
	case dataAsked:
		c.state = commands
		if bytes.HasPrefix(p, []byte("354")) {
			c.state = inData
		}
	case tlsAsked:
		c.state = commands
		if bytes.HasPrefix(p, []byte("220")) {
			c.state = encrypted
		}
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}
