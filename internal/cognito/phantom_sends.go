package cognito

import (
	"sync"
	"time"
)

// phantomSends counts, in memory, the codes a client that prevents
// user-existence errors pretends to send to names that do not exist (or
// have nowhere to receive one), with the send bound real users have
// (maxCodeSends per sendWindow). Without it, asking six times would tell
// the names that exist: only they ever answered LimitExceededException.
// It is bounded like phantomLockouts: past maxPhantoms names it starts
// afresh.
type phantomSends struct {
	mu    sync.Mutex
	names map[string]*phantomWindow
}

type phantomWindow struct {
	sends int
	start time.Time
}

// send counts one pretended send for key at now, as countSend counts a
// real one (countInWindow), and reports whether the bound refuses it.
func (p *phantomSends) send(key string, now time.Time) (refused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names == nil || len(p.names) >= maxPhantoms {
		p.names = map[string]*phantomWindow{}
	}
	w := p.names[key]
	if w == nil {
		w = &phantomWindow{}
		p.names[key] = w
	}
	return countInWindow(&w.sends, &w.start, now, sendWindow, maxCodeSends)
}
