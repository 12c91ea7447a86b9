package filestore

import (
	"bytes"
	"unsafe"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/mpdata/mp/domain"
)

// decodeFast decodes a config file of the shape mp writes — each account
// an [accounts.NAME] table and each target a [targets.NAME] table of plain
// keys — straight into accounts and targets, without the generic map of
// every table that decode builds (a map and a boxed value per key: most of
// the time and memory of a config of 5,000 accounts). The other tables
// ([active], [settings], tables mp does not know) go through buildTOML as
// before.
//
// It handles only valid documents of that shape. Anything else — another
// spelling of the accounts or targets (an [accounts] header, dotted keys,
// inline tables, sub-tables), a value of another type, a duplicate, a
// fault that decode reports, a legacy file — returns errNotBuilt, and
// decode decodes the document the general way, which finds and words the
// error. So the two ways give the same document for every input
// (FuzzDecodeFast checks it), and every error comes from one place.
//
// The strings of the result are substrings of data, which must not change
// afterwards (a decoded Config keeps them).
func decodeFast(path string, data []byte) (document, error) {
	if len(data) == 0 {
		return document{}, errNotBuilt
	}
	f := fastDecoder{
		b: tomlBuilder{
			entries: make([]tomlEntry, 0, 8),
			keys:    make(map[tomlKey]int32, 8),
			data:    data,
			src:     unsafe.String(unsafe.SliceData(data), len(data)),
		},
		d: decoder{path: path, data: data},
	}
	// Room for the accounts and targets, from the number of [ in the
	// document (counting one byte is a vector loop; counting "[accounts."
	// cost more than the rest of the scan): a config holds about as many
	// targets as accounts, and append grows the slices if not.
	tables := bytes.Count(data, []byte{'['})
	f.accounts = make([]domain.Account, 0, tables/2+1)
	f.targets = make([]domain.Target, 0, tables/2+1)
	root := map[string]any{}
	f.b.entries = append(f.b.entries, tomlEntry{kind: kindTable, explicit: true, m: root})
	if err := f.parse(); err != nil {
		return document{}, err
	}
	for _, k := range legacyMarkers {
		if _, ok := root[k]; ok {
			return document{}, errNotBuilt // decode words the legacy error
		}
	}
	doc, err := f.d.documentWith(root, f.accounts, f.targets)
	if err != nil {
		return document{}, errNotBuilt
	}
	return doc, nil
}

// legacyMarkers are the top-level keys only a 0.3.x-era file has.
var legacyMarkers = []string{"config_version", "default", "credentials", "projects"}

// fastDecoder is the state of decodeFast: the builder of the other tables,
// and the accounts and targets read so far.
type fastDecoder struct {
	b        tomlBuilder
	d        decoder
	accounts []domain.Account
	targets  []domain.Target
	// rec is the account or target table being read (rec.keys is nil
	// while the builder's table receives the keys).
	rec record
}

// parse walks the expressions of the document.
func (f *fastDecoder) parse() error {
	var p unstable.Parser
	p.Reset(f.b.data)
	tableDepth := 0
	for p.NextExpression() {
		e := p.Expression()
		if exprDepth(e, &tableDepth) > MaxNesting {
			return errNotBuilt
		}
		var err error
		switch e.Kind {
		case unstable.KeyValue:
			switch {
			case f.rec.keys != nil:
				err = f.rec.set(&f.b, e)
			case f.b.current == 0 && f.inSchemaTable(e):
				err = errNotBuilt // accounts.NAME.type = … at the top
			default:
				err = f.b.keyValue(f.b.current, e)
			}
		case unstable.Table:
			if err = f.finish(); err != nil {
				return err
			}
			if f.rec.start(&f.b, e) {
				continue
			}
			if f.inSchemaTable(e) {
				return errNotBuilt // [accounts], [accounts.NAME.more]
			}
			err = f.b.table(e)
		case unstable.ArrayTable:
			if err = f.finish(); err != nil {
				return err
			}
			if f.inSchemaTable(e) {
				return errNotBuilt
			}
			err = f.b.arrayTable(e)
		default:
			err = errNotBuilt
		}
		if err != nil {
			return err
		}
	}
	if p.Error() != nil {
		return errNotBuilt
	}
	return f.finish()
}

// inSchemaTable reports whether e's key starts with accounts or targets.
func (f *fastDecoder) inSchemaTable(e *unstable.Node) bool {
	it := e.Key()
	if !it.Next() {
		return false
	}
	name := f.b.str(it.Node().Data)
	return name == keyAccounts || name == keyTargets
}

// finish turns the account or target table just read into an account or a
// target, checked as decode checks it.
func (f *fastDecoder) finish() error {
	r := &f.rec
	if r.keys == nil {
		return nil
	}
	defer r.reset()
	if r.target {
		t, err := f.d.targetFrom(r.name, r)
		if err != nil {
			return errNotBuilt
		}
		f.targets = append(f.targets, t)
		return nil
	}
	a, err := f.d.accountFrom(r.name, r)
	if err != nil {
		return errNotBuilt
	}
	f.accounts = append(f.accounts, a)
	return nil
}

// record is one [accounts.NAME] or [targets.NAME] table read by
// decodeFast: the value of each key present, by its index in keys.
type record struct {
	name   string
	target bool
	keys   []string // accountKeys or targetKeys; nil: no table
	vals   [8]string
	has    uint8 // bit i: keys[i] is present
	ws     int64 // the workspace of a target
}

// start begins a record if e is the header of an account or a target.
func (r *record) start(b *tomlBuilder, e *unstable.Node) bool {
	it := e.Key()
	if !it.Next() {
		return false
	}
	first := b.str(it.Node().Data)
	if first != keyAccounts && first != keyTargets || !it.Next() || !it.IsLast() {
		return false
	}
	r.name = b.str(it.Node().Data)
	r.target = first == keyTargets
	r.keys = accountKeys
	if r.target {
		r.keys = targetKeys
	}
	return true
}

func (r *record) reset() { *r = record{} }

// set stores the plain key/value kv: a key of the schema, not yet set,
// with a string value (an integer for workspace).
func (r *record) set(b *tomlBuilder, kv *unstable.Node) error {
	it := kv.Key()
	if !it.Next() || !it.IsLast() {
		return errNotBuilt // a dotted key
	}
	i := indexOf(r.keys, b.str(it.Node().Data))
	if i < 0 || r.has&(1<<i) != 0 {
		return errNotBuilt // unknown or set twice
	}
	v := kv.Value()
	switch {
	case r.keys[i] == "workspace":
		n, ok := plainInt(v.Data)
		if v.Kind != unstable.Integer || !ok {
			return errNotBuilt
		}
		r.ws = n
	case v.Kind == unstable.String:
		r.vals[i] = b.str(v.Data)
	default:
		return errNotBuilt
	}
	r.has |= 1 << i
	return nil
}

// str implements fields.
func (r *record) str(key string) (string, bool, error) {
	i := indexOf(r.keys, key)
	if i < 0 || r.has&(1<<i) == 0 {
		return "", false, nil
	}
	return r.vals[i], true, nil
}

// workspace implements fields.
func (r *record) workspace() (domain.WorkspaceID, error) {
	i := indexOf(r.keys, "workspace")
	if i < 0 || r.has&(1<<i) == 0 {
		return 0, nil
	}
	return domain.NewWorkspaceID(r.ws)
}

func indexOf(keys []string, key string) int {
	for i, k := range keys {
		if k == key {
			return i
		}
	}
	return -1
}
