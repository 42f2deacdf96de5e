package audit

import (
	"context"
)

// listAhead is how many release directories the audit lists ahead of the
// one it hands out: listing (a directory read and an lstat per file) then
// runs on another core while the artifacts of earlier directories are
// decided, which is most of a re-run's time when nothing changed.
const listAhead = 4

// A dirListing is the outcome of listRelease for one directory.
type dirListing struct {
	files   []walkFile
	skipped []Skipped
	bad     []badDir
	err     error
}

// A dirLister lists release directories ahead of the walk, at most
// listAhead of them waiting at a time, in order.
type dirLister struct {
	idx  map[string]int
	out  []chan dirListing
	slot chan struct{}
}

// newDirLister starts listing the directories of dirs that are on the
// mirror, in order; get takes each listing.
func newDirLister(ctx context.Context, src Source, dirs []releaseDir, depth int) *dirLister {
	l := &dirLister{idx: map[string]int{}, out: make([]chan dirListing, len(dirs)), slot: make(chan struct{}, listAhead)}
	for i, d := range dirs {
		l.idx[d.name] = i
		l.out[i] = make(chan dirListing, 1)
	}
	go func() {
		for i, d := range dirs {
			if !d.onMirror {
				continue
			}
			select {
			case l.slot <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				files, skipped, bad, err := listRelease(ctx, src, d.name, depth)
				l.out[i] <- dirListing{files, skipped, bad, err}
			}()
		}
	}()
	return l
}

// get returns the listing of the release directory dir, waiting for it.
func (l *dirLister) get(ctx context.Context, dir string) (files []walkFile, skipped []Skipped, bad []badDir, err error) {
	select {
	case r := <-l.out[l.idx[dir]]:
		<-l.slot
		return r.files, r.skipped, r.bad, r.err
	case <-ctx.Done():
		return nil, nil, nil, ctx.Err()
	}
}

// listDir lists the release directory dir, from the lister when Run
// started one.
func (opt Options) listDir(ctx context.Context, dir string) ([]walkFile, []Skipped, []badDir, error) {
	if opt.lister != nil {
		return opt.lister.get(ctx, dir)
	}
	return listRelease(ctx, opt.Source, dir, opt.maxDepth())
}
