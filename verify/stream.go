package verify

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/pyverify/pyverify/internal/readahead"
	"github.com/pyverify/pyverify/internal/safefs"
)

// This file is the one path by which an artifact's bytes reach a Check:
// from a transfer that may start over (Stream), or from a local file
// (VerifyFile).

// errStartedOver ends the check of an attempt that a new one replaced.
var errStartedOver = errors.New("the transfer started over")

// A Stream verifies one artifact whose bytes arrive through a transfer that
// may start over, such as a download that resumes or restarts, or a mirror
// that serves a file again. Each attempt's bytes go to the writer
// [Stream.Attempt] returns; only the last attempt's count. End the stream
// with [Stream.Finish] once the last attempt delivered every byte, or with
// [Stream.Abort] when the bytes could not all be read; one of them must be
// called. A Stream is not safe for concurrent use.
type Stream struct {
	v        *Verifier
	t        Target
	progress func(int64)
	check    *Check
}

// NewStream begins the verification of t, whose bytes will arrive through
// the stream. progress, if set, is told how many bytes each write brings.
// It fails only for an unusable Target, as [Verifier.Start] does.
func (v *Verifier) NewStream(t Target, progress func(int64)) (*Stream, error) {
	t, err := v.normalize(t)
	if err != nil {
		return nil, err
	}
	return &Stream{v: v, t: t, progress: progress}, nil
}

// Attempt begins an attempt at the artifact's bytes, dropping what an
// earlier attempt wrote, and returns where this attempt's bytes go. Its
// signature is that of the sink constructors of download.Client.Download
// and audit.Source.Stream.
func (s *Stream) Attempt() (io.Writer, error) {
	if s.check != nil {
		s.check.Abort(errStartedOver) // release the abandoned attempt
		s.check = nil
	}
	c, err := s.v.Start(s.t)
	if err != nil {
		return nil, err
	}
	s.check = c
	if s.progress == nil {
		return c, nil
	}
	return &countingWriter{c: c, add: s.progress}, nil
}

// Finish ends the stream with the last attempt's bytes (none when no
// attempt was made) and returns the artifact's report (see [Check.Finish]).
func (s *Stream) Finish() (ArtifactReport, error) {
	if s.check == nil {
		// No attempt was made: the artifact is empty.
		if _, err := s.Attempt(); err != nil {
			return ArtifactReport{Name: s.t.Name, Version: s.t.Version.String(), Class: string(s.t.Class)}, err
		}
	}
	return s.check.Finish()
}

// Abort ends a stream whose bytes could not all be read, for cause: the
// report is [Check.Abort]'s, with no verdict computed from the bytes.
func (s *Stream) Abort(cause error) ArtifactReport {
	if s.check == nil {
		// It failed before any byte came.
		c, err := s.v.Start(s.t)
		if err != nil {
			return ArtifactReport{Name: s.t.Name, Version: s.t.Version.String(), Class: string(s.t.Class), Error: cause.Error()}
		}
		s.check = c
	}
	return s.check.Abort(cause)
}

// Digests returns the size and digests of the last attempt's bytes, once
// Finish has been called (see [Check.Digests]).
func (s *Stream) Digests() Digests {
	if s.check == nil {
		return Digests{}
	}
	return s.check.Digests()
}

// VerifyFile verifies the local file at path against t, reading it once,
// start to end, in large reads. progress, if set, is told how many bytes
// each read brings. A file that cannot be opened gives the bare report and
// the open error; one that fails part-way is reported as [Check.Abort]
// does. A path that is not a regular file (a named pipe, a device, a
// folder) fails at once, without blocking.
func (v *Verifier) VerifyFile(path string, t Target, progress func(int64)) (ArtifactReport, error) {
	return v.VerifyFileContext(context.Background(), path, t, progress)
}

// VerifyFileContext is VerifyFile, stopping between reads when ctx ends
// (then the error is ctx's cause and the report says nothing was decided).
func (v *Verifier) VerifyFileContext(ctx context.Context, path string, t Target, progress func(int64)) (ArtifactReport, error) {
	f, err := safefs.Open(path) // a named pipe or a device is refused at once
	if err != nil {
		return ArtifactReport{Name: t.Name, Version: t.Version.String(), Class: string(t.Class)}, err
	}
	defer f.Close()
	return v.VerifyOpenFile(ctx, f, t, progress)
}

// VerifyOpenFile is VerifyFileContext for a file the caller opened (and
// closes), read from its start whatever its offset: the bytes verified are
// those of that very file, not of whatever a path names later.
func (v *Verifier) VerifyOpenFile(ctx context.Context, f *os.File, t Target, progress func(int64)) (ArtifactReport, error) {
	readahead.Sequential(f)
	var r io.Reader = io.NewSectionReader(f, 0, 1<<62)
	if ctx.Done() != nil {
		r = &ctxReader{ctx: ctx, r: r}
	}
	if progress != nil {
		r = &countingReader{r: r, add: progress}
	}
	return v.VerifyReader(t, r)
}

// ctxReader stops reading when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.r.Read(p)
}

// countingWriter feeds a check, telling add how many bytes went by.
type countingWriter struct {
	c   *Check
	add func(int64)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.c.Write(b)
	w.add(int64(n))
	return n, err
}

// ReadFrom keeps the check's fast path (reading straight into its
// buffers) when the writer is given to io.Copy.
func (w *countingWriter) ReadFrom(r io.Reader) (int64, error) {
	return w.c.ReadFrom(&countingReader{r: r, add: w.add})
}

type countingReader struct {
	r   io.Reader
	add func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.add(int64(n))
	}
	return n, err
}
