package render

import "io"

// outChunk is how much output (a table's lines, plain lines, JSON) is
// gathered before it is written: a long list goes out in pieces of this
// size, so that rendering it never holds a copy of the whole document
// (nor grows one by doubling).
const outChunk = 64 << 10

// chunkWriter gathers output and writes it to w in pieces of about
// outChunk bytes; the first write error sticks.
type chunkWriter struct {
	w   io.Writer
	buf []byte
	err error
}

// newChunkWriter returns a chunkWriter on w whose buffer starts at about
// sizeHint bytes (at least 512, at most a chunk and a quarter).
func newChunkWriter(w io.Writer, sizeHint int) *chunkWriter {
	return &chunkWriter{w: w, buf: make([]byte, 0, min(max(sizeHint, 512), outChunk+outChunk/4))}
}

// maybeFlush writes the gathered output once there is a chunk of it.
func (c *chunkWriter) maybeFlush() {
	if len(c.buf) >= outChunk {
		c.flush()
	}
}

// flush writes the gathered output.
func (c *chunkWriter) flush() {
	if len(c.buf) > 0 && c.err == nil {
		_, c.err = c.w.Write(c.buf)
	}
	c.buf = c.buf[:0]
}
