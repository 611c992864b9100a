package models

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/papi-dialogue/papi/models/blobs"
)

// BlobStore keeps attachment files by the SHA-256 of their bytes; models/blobs has the
// directory and the S3-compatible implementations.
type BlobStore interface {
	// Put streams r into the store and commits it under its digest, or leaves nothing.
	Put(ctx context.Context, r io.Reader) (blobs.Blob, error)
	// Open reads a stored blob; a missing one is an error wrapping blobs.ErrNotExist.
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
	// Delete removes a blob; a missing one is not an error.
	Delete(ctx context.Context, sum string) error
}

// DefaultAttachmentMaxSize caps one attached file unless configured otherwise.
const DefaultAttachmentMaxSize = 20 << 20

// AttachmentKind says whether an attachment is a photo or a document.
type AttachmentKind string

// The attachment kinds.
const (
	AttachmentPhoto    AttachmentKind = "photo"
	AttachmentDocument AttachmentKind = "document"
)

// Attachment is a photo or a scanned document attached to a petition or a dialogue.
type Attachment struct {
	ID           int64          `json:"id"`
	PetitionID   *int64         `json:"petition_id"`
	DialogueID   *int64         `json:"dialogue_id"`
	Kind         AttachmentKind `json:"kind"`
	SHA256       string         `json:"sha256" gorm:"column:sha256"`
	Size         int64          `json:"size"`
	ContentType  string         `json:"content_type"`
	OriginalName string         `json:"original_name"`
	Width        *int           `json:"width"`
	Height       *int           `json:"height"`
	ThumbSHA256  *string        `json:"-" gorm:"column:thumb_sha256"`
	Public       bool           `json:"public"`
	AddedBy      int64          `json:"added_by"`
	AddedAt      time.Time      `json:"added_at"`
	RemovedAt    *time.Time     `json:"removed_at"`
	RemovedBy    *int64         `json:"removed_by"`
	PurgedAt     *time.Time     `json:"purged_at"`

	// HasThumbnail tells whether a thumbnail can be fetched (photos).
	HasThumbnail bool `json:"has_thumbnail" gorm:"-"`
	// CanRemove and CanPublish tell the reader what the server will let them do with it.
	CanRemove  bool `json:"can_remove" gorm:"-"`
	CanPublish bool `json:"can_publish" gorm:"-"`
}

// TableName names the attachments table.
func (Attachment) TableName() string { return "attachments" }

// AttachmentTarget names the record attachments belong to: a petition or a dialogue.
type AttachmentTarget struct {
	PetitionID int64
	DialogueID int64
}

// attachmentHolder is the record an attachment hangs on, as far as the rules need it.
type attachmentHolder struct {
	petition *Petition // nil for a dialogue
	dialogue *Dialogue
	// writable tells whether the actor works in the record's commune (or above it).
	writable bool
}

// mayBePublic tells whether a photo of this record may ever be shown on the public board:
// never a dialogue's file, never one of a private petition or of a denunciation.
func (h *attachmentHolder) mayBePublic() bool {
	return h.petition != nil && !h.petition.Private && h.petition.Kind != KindDenunciation
}

// holder loads the record of target if the actor sees it; a foreign one is not found.
func (s *Store) holder(ctx context.Context, actor Actor, t AttachmentTarget) (*attachmentHolder, error) {
	switch {
	case t.PetitionID > 0 && t.DialogueID == 0:
		p, seesCommune, err := s.petitionRow(ctx, actor, t.PetitionID)
		if err != nil {
			return nil, err
		}
		return &attachmentHolder{petition: p, writable: seesCommune}, nil
	case t.DialogueID > 0 && t.PetitionID == 0:
		d, err := s.dialogueInScope(ctx, actor, t.DialogueID)
		if err != nil {
			return nil, err
		}
		return &attachmentHolder{dialogue: d, writable: true}, nil
	}
	return nil, ErrNotFound
}

// CanAttach tells, before any byte of an upload is read, whether the actor may attach files to
// the record: ErrNotFound for a record outside their units, ErrForbidden for a role that may not.
func (s *Store) CanAttach(ctx context.Context, actor Actor, t AttachmentTarget) error {
	h, err := s.holder(ctx, actor, t)
	if err != nil {
		return err
	}
	if !actor.Can(PermAttachmentsAdd) || !h.writable {
		return ErrForbidden
	}
	return nil
}

// finish fills what the reader may do with the attachment.
func (a *Attachment) finish(actor Actor, h *attachmentHolder) {
	a.HasThumbnail = a.ThumbSHA256 != nil && a.PurgedAt == nil
	live := a.RemovedAt == nil
	a.CanRemove = live && h.writable && canRemoveAttachment(actor, a)
	a.CanPublish = live && h.writable && actor.Can(PermAttachmentsPublish) && a.Kind == AttachmentPhoto && h.mayBePublic()
}

// canRemoveAttachment: the commune office removes what it added by mistake; the chair (and an
// admin) may remove anyone's.
func canRemoveAttachment(actor Actor, a *Attachment) bool {
	return actor.Can(PermAttachmentsAdd) && (a.AddedBy == actor.UserID || actor.Can(PermAttachmentsRemoveAny))
}

// Attachments lists the attachments of a record the actor sees, oldest first; removed ones
// only when asked (they stay for the audit).
func (s *Store) Attachments(ctx context.Context, actor Actor, t AttachmentTarget, withRemoved bool) ([]*Attachment, error) {
	h, err := s.holder(ctx, actor, t)
	if err != nil {
		return nil, err
	}
	q := s.conn(ctx).Model(&Attachment{})
	if t.PetitionID > 0 {
		q = q.Where("petition_id = ?", t.PetitionID)
	} else {
		q = q.Where("dialogue_id = ?", t.DialogueID)
	}
	if !withRemoved {
		q = q.Where("removed_at IS NULL")
	}
	var out []*Attachment
	if err := q.Order("id").Limit(1000).Find(&out).Error; err != nil {
		return nil, err
	}
	for _, a := range out {
		a.finish(actor, h)
	}
	return out, nil
}

// attachmentInScope loads an attachment whose record the actor sees.
func (s *Store) attachmentInScope(ctx context.Context, actor Actor, id int64) (*Attachment, *attachmentHolder, error) {
	var a Attachment
	if err := s.conn(ctx).First(&a, id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	t := AttachmentTarget{}
	if a.PetitionID != nil {
		t.PetitionID = *a.PetitionID
	} else if a.DialogueID != nil {
		t.DialogueID = *a.DialogueID
	}
	h, err := s.holder(ctx, actor, t)
	if err != nil {
		return nil, nil, err
	}
	a.finish(actor, h)
	return &a, h, nil
}

// Attachment returns one attachment whose record the actor sees.
func (s *Store) Attachment(ctx context.Context, actor Actor, id int64) (*Attachment, error) {
	a, _, err := s.attachmentInScope(ctx, actor, id)
	return a, err
}

// OpenAttachment returns an attachment the actor sees with a reader of its file, or of its
// thumbnail. A purged file, or a thumbnail a document does not have, is not found.
func (s *Store) OpenAttachment(ctx context.Context, actor Actor, id int64, thumb bool) (*Attachment, io.ReadCloser, error) {
	a, _, err := s.attachmentInScope(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.openBlob(ctx, a, thumb)
	return a, rc, err
}

func (s *Store) openBlob(ctx context.Context, a *Attachment, thumb bool) (io.ReadCloser, error) {
	if a.PurgedAt != nil || (thumb && a.ThumbSHA256 == nil) {
		return nil, ErrNotFound
	}
	if s.Blobs == nil {
		return nil, errNoBlobStore
	}
	sum := a.SHA256
	if thumb {
		sum = *a.ThumbSHA256
	}
	rc, err := s.Blobs.Open(ctx, sum)
	if errors.Is(err, blobs.ErrNotExist) {
		return nil, fmt.Errorf("attachment %d: blob %s missing from the store: %w", a.ID, sum, err)
	}
	return rc, err
}

var errNoBlobStore = errors.New("no blob store configured for attachments")

// Messages of the attachment rules.
var (
	msgAttachmentRemoved = Msg("Tệp đính kèm đã bị gỡ.", "The attachment was removed.")
	msgNotPublishable    = Msg("Chỉ ảnh của ý kiến công khai (không phải tố cáo) mới được công khai.",
		"Only photos of a public petition that is not a denunciation can be made public.")
)

// AttachmentRemoval says why an attachment is removed.
type AttachmentRemoval struct {
	Note string `json:"note"`
}

// RemoveAttachment marks an attachment as removed, recording who and when on the record's
// history; its file is kept for the audit until an admin purges it.
func (s *Store) RemoveAttachment(ctx context.Context, actor Actor, id int64, in AttachmentRemoval) (*Attachment, error) {
	v := &ValidationError{}
	note := noteField(v, "note", in.Note)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *Attachment
	err := s.WithTx(ctx, func(ctx context.Context) error {
		a, h, err := s.attachmentInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !h.writable || !canRemoveAttachment(actor, a) {
			return ErrForbidden
		}
		if a.RemovedAt != nil {
			return &ConflictError{Reason: "attachment_removed", Message: msgAttachmentRemoved, Details: map[string]any{"current": a}}
		}
		now := s.now()
		if err := s.conn(ctx).Model(&Attachment{}).Where("id = ?", a.ID).
			Updates(map[string]any{"removed_at": now, "removed_by": actor.UserID, "public": false}).Error; err != nil {
			return err
		}
		a.RemovedAt, a.RemovedBy, a.Public = &now, &actor.UserID, false
		a.finish(actor, h)
		out = a
		return s.attachmentEvent(ctx, actor, h, "attachment_removed", note, a)
	})
	return out, err
}

// AttachmentPatch is what may change of an attachment: whether the public board shows it.
type AttachmentPatch struct {
	Public *bool `json:"public"`
}

// UpdateAttachment shows a photo on the public board, or hides it again. Only the chair (or an
// admin) decides it, and only for photos of public petitions that are not denunciations.
func (s *Store) UpdateAttachment(ctx context.Context, actor Actor, id int64, in AttachmentPatch) (*Attachment, error) {
	if in.Public == nil {
		return nil, FieldError("public", msgRequired)
	}
	public := *in.Public
	var out *Attachment
	err := s.WithTx(ctx, func(ctx context.Context) error {
		a, h, err := s.attachmentInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !h.writable || !actor.Can(PermAttachmentsPublish) {
			return ErrForbidden
		}
		if a.RemovedAt != nil {
			return &ConflictError{Reason: "attachment_removed", Message: msgAttachmentRemoved, Details: map[string]any{"current": a}}
		}
		if public && (a.Kind != AttachmentPhoto || !h.mayBePublic()) {
			return &ConflictError{Reason: "not_publishable", Message: msgNotPublishable, Details: map[string]any{"current": a}}
		}
		out = a
		if a.Public == public {
			return nil
		}
		if err := s.conn(ctx).Model(&Attachment{}).Where("id = ?", a.ID).Update("public", public).Error; err != nil {
			return err
		}
		a.Public = public
		kind := "attachment_published"
		if !public {
			kind = "attachment_unpublished"
		}
		return s.attachmentEvent(ctx, actor, h, kind, "", a)
	})
	return out, err
}

// PurgeAttachment deletes the file of a removed attachment for good (an admin's decision, for
// instance a photo of an identity card uploaded by mistake). The record and its history stay.
func (s *Store) PurgeAttachment(ctx context.Context, actor Actor, id int64) (*Attachment, error) {
	var (
		out  *Attachment
		gone []string
	)
	err := s.WithTx(ctx, func(ctx context.Context) error {
		a, h, err := s.attachmentInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermAttachmentsPurge) {
			return ErrForbidden
		}
		if a.RemovedAt == nil || a.PurgedAt != nil {
			return &ConflictError{Reason: "not_purgeable", Message: Msg("Chỉ xóa hẳn được tệp đã gỡ và chưa bị xóa.",
				"Only a removed attachment that was not purged yet can be purged."), Details: map[string]any{"current": a}}
		}
		now := s.now()
		if err := s.conn(ctx).Model(&Attachment{}).Where("id = ?", a.ID).Update("purged_at", now).Error; err != nil {
			return err
		}
		a.PurgedAt = &now
		// A blob goes only when no other attachment still needs it.
		for _, sum := range []*string{&a.SHA256, a.ThumbSHA256} {
			if sum == nil {
				continue
			}
			var n int64
			if err := s.conn(ctx).Model(&Attachment{}).Where("purged_at IS NULL AND (sha256 = ? OR thumb_sha256 = ?)", *sum, *sum).
				Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				gone = append(gone, *sum)
			}
		}
		a.finish(actor, h)
		out = a
		return s.attachmentEvent(ctx, actor, h, "attachment_purged", "", a)
	})
	if err != nil {
		return nil, err
	}
	for _, sum := range gone {
		if err := s.Blobs.Delete(ctx, sum); err != nil {
			return out, err
		}
	}
	return out, nil
}

// attachmentEvent records a change to an attachment in its record's history.
func (s *Store) attachmentEvent(ctx context.Context, actor Actor, h *attachmentHolder, kind, note string, a *Attachment) error {
	data := map[string]any{"attachment_id": a.ID, "kind": a.Kind, "name": a.OriginalName, "sha256": a.SHA256}
	if h.petition != nil {
		return s.appendEvent(ctx, petitionLog, actor, h.petition.ID, kind, "", "", note, data)
	}
	return s.appendEvent(ctx, dialogueLog, actor, h.dialogue.ID, kind, "", "", note, data)
}

// Upload is a file received for attaching, held in a temporary file until it is stored.
type Upload struct {
	// Name is the file's name as the client gave it, cleaned.
	Name        string
	field       string
	file        *os.File
	size        int64
	sum         string // SHA-256 of the bytes as received
	contentType string
}

// Close removes the temporary file.
func (u *Upload) Close() error {
	u.file.Close()
	return os.Remove(u.file.Name())
}

// maxUploadSize is the per-file limit in force.
func (s *Store) maxUploadSize() int64 {
	if s.AttachmentMaxSize > 0 {
		return s.AttachmentMaxSize
	}
	return DefaultAttachmentMaxSize
}

// ReceiveUpload copies one uploaded file to a temporary file, never more than the per-file
// limit, and tells its type by its first bytes. field names the form field in its errors.
// The caller closes the Upload when done with it.
func (s *Store) ReceiveUpload(r io.Reader, name, field string) (*Upload, error) {
	f, err := os.CreateTemp(s.SpoolDir, "upload-*")
	if err != nil {
		return nil, err
	}
	u := &Upload{Name: cleanFileName(name), field: field, file: f}
	max := s.maxUploadSize()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	if err == nil && n > max {
		err = FieldError(field, Msg(fmt.Sprintf("Tệp lớn hơn giới hạn %d MB.", max>>20),
			fmt.Sprintf("The file is larger than the %d MB limit.", max>>20)))
	}
	if err == nil && n == 0 {
		err = FieldError(field, Msg("Tệp rỗng.", "The file is empty."))
	}
	var head [16]byte
	if err == nil {
		_, err = f.ReadAt(head[:], 0)
		if errors.Is(err, io.EOF) {
			err = nil
		}
	}
	if err == nil {
		if u.contentType = sniffContentType(head[:]); u.contentType == "" {
			err = FieldError(field, Msg("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF.", "Only JPEG, PNG or WebP photos and PDF files are accepted."))
		}
	}
	if err != nil {
		u.Close()
		return nil, err
	}
	u.size, u.sum = n, hex.EncodeToString(h.Sum(nil))
	return u, nil
}

// cleanFileName keeps the last element of a client's file name, without control characters,
// at most 200 characters: it is shown and offered back as a download name, never used as a path.
func cleanFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 200 {
		ext := filepath.Ext(name)
		name = string(r[:200-len([]rune(ext))]) + ext
	}
	return name
}

// prepared is an upload checked and ready to store: its thumbnail made, its size known.
type prepared struct {
	u             *Upload
	kind          AttachmentKind
	thumb         []byte
	width, height int
}

// prepare checks an upload fully before anything is stored: an image must decode, be of a sane
// size, and have a structure the metadata stripper can walk.
func prepare(u *Upload) (*prepared, error) {
	p := &prepared{u: u, kind: AttachmentDocument}
	if u.contentType == TypePDF {
		return p, nil
	}
	p.kind = AttachmentPhoto
	bad := FieldError(u.field, Msg("Ảnh bị hỏng hoặc không đọc được.", "The image is damaged or cannot be read."))
	if _, err := u.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if _, _, err := imageSize(u.file); err != nil {
		if errors.Is(err, errTooManyPixels) {
			return nil, FieldError(u.field, Msg("Ảnh có quá nhiều điểm ảnh (tối đa 60 triệu).", "The image has too many pixels (60 million at most)."))
		}
		return nil, bad
	}
	if _, err := u.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, h, err := thumbnail(&buf, u.file)
	if err != nil {
		return nil, bad
	}
	p.thumb, p.width, p.height = buf.Bytes(), w, h
	if _, err := u.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := stripMetadata(io.Discard, u.file, u.contentType); err != nil {
		return nil, bad
	}
	return p, nil
}

// store writes a prepared upload and its thumbnail to the blob store, the image stripped of its
// metadata on the way, and returns the row to insert.
func (s *Store) storeUpload(ctx context.Context, p *prepared) (*Attachment, error) {
	if _, err := p.u.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(stripMetadata(pw, p.u.file, p.u.contentType)) }()
	b, err := s.Blobs.Put(ctx, pr)
	pr.CloseWithError(err) // stops the stripper if Put gave up early
	if err != nil {
		return nil, err
	}
	a := &Attachment{Kind: p.kind, SHA256: b.SHA256, Size: b.Size, ContentType: p.u.contentType, OriginalName: p.u.Name}
	if p.thumb != nil {
		tb, err := s.Blobs.Put(ctx, bytes.NewReader(p.thumb))
		if err != nil {
			return nil, err
		}
		a.ThumbSHA256, a.Width, a.Height = &tb.SHA256, &p.width, &p.height
	}
	return a, nil
}

// AttachFiles attaches uploaded files to a record the actor may attach to. Every file is checked
// before any is stored, so a bad one rejects the request and leaves nothing behind. The same
// bytes attached twice to one record (a retried upload) give back the attachment already there.
func (s *Store) AttachFiles(ctx context.Context, actor Actor, t AttachmentTarget, uploads []*Upload) ([]*Attachment, error) {
	out, _, err := s.AttachFilesOnce(ctx, actor, t, "", uploads)
	return out, err
}

// attachScope is the idempotency scope of uploads.
const attachScope = "attachments.create"

// attachRequest is what a retried upload must repeat to be the same request: the record and
// the bytes of its one file, as sent (before its metadata is stripped).
type attachRequest struct {
	Target AttachmentTarget
	File   string
}

// AttachFilesOnce is AttachFiles with the client's Idempotency-Key: a retry with the same key
// and the same file gives back the attachment the first attempt made (replayed), even when
// that one was removed since, and never attaches the file twice. A keyed upload carries one
// file, so that each photo waiting in a device's queue has a key of its own.
func (s *Store) AttachFilesOnce(ctx context.Context, actor Actor, t AttachmentTarget, key string, uploads []*Upload) ([]*Attachment, bool, error) {
	if err := s.CanAttach(ctx, actor, t); err != nil {
		return nil, false, err
	}
	if len(uploads) == 0 {
		return nil, false, FieldError("file", Msg("Chưa chọn tệp nào.", "No file was sent."))
	}
	if s.Blobs == nil {
		return nil, false, errNoBlobStore
	}
	var req any
	if strings.TrimSpace(key) != "" {
		if len(uploads) != 1 {
			return nil, false, FieldError("Idempotency-Key", Msg("Mỗi lần gửi có khóa chống trùng chỉ được một tệp.",
				"An upload with an Idempotency-Key carries one file."))
		}
		req = attachRequest{Target: t, File: uploads[0].sum}
		if id, ok, err := s.recallIdempotent(ctx, actor, key, attachScope, req); err != nil || ok {
			return s.replayedAttachment(ctx, actor, id, err)
		}
	}
	ready, err := prepareAll(uploads)
	if err != nil {
		return nil, false, err
	}
	var out []*Attachment
	// A sweep of orphaned blobs may take a blob we share with an old, deleted upload just before
	// we record it; then the files are stored once more.
	for attempt := 0; ; attempt++ {
		rows, err := s.storeAll(ctx, ready)
		if err != nil {
			return nil, false, err
		}
		id, replayed, err := s.Idempotent(ctx, actor, key, attachScope, req, func(ctx context.Context) (int64, error) {
			out, err = s.insertAttachments(ctx, actor, t, rows)
			if err != nil {
				return 0, err
			}
			return out[0].ID, nil
		})
		switch {
		case errors.Is(err, errBlobSwept) && attempt == 0:
			continue
		case replayed:
			return s.replayedAttachment(ctx, actor, id, err)
		}
		return out, false, err
	}
}

// replayedAttachment answers a retried upload with the attachment its key made.
func (s *Store) replayedAttachment(ctx context.Context, actor Actor, id int64, err error) ([]*Attachment, bool, error) {
	if err != nil {
		return nil, false, err
	}
	a, err := s.Attachment(ctx, actor, id)
	if err != nil {
		return nil, false, err
	}
	return []*Attachment{a}, true, nil
}

// prepareAll checks every upload, reporting every bad file at once.
func prepareAll(uploads []*Upload) ([]*prepared, error) {
	ready := make([]*prepared, len(uploads))
	v := &ValidationError{}
	for i, u := range uploads {
		p, err := prepare(u)
		var verr *ValidationError
		if errors.As(err, &verr) {
			for f, m := range verr.Fields {
				v.Add(f, m)
			}
			continue
		} else if err != nil {
			return nil, err
		}
		ready[i] = p
	}
	return ready, v.Err()
}

// storeAll writes every prepared upload to the blob store.
func (s *Store) storeAll(ctx context.Context, ready []*prepared) ([]*Attachment, error) {
	rows := make([]*Attachment, len(ready))
	for i, p := range ready {
		a, err := s.storeUpload(ctx, p)
		if err != nil {
			return nil, err
		}
		rows[i] = a
	}
	return rows, nil
}

// insertAttachments records stored files on their record, with an event each.
func (s *Store) insertAttachments(ctx context.Context, actor Actor, t AttachmentTarget, rows []*Attachment) ([]*Attachment, error) {
	out := make([]*Attachment, 0, len(rows))
	err := s.WithTx(ctx, func(ctx context.Context) error {
		h, err := s.holder(ctx, actor, t)
		if err != nil {
			return err
		}
		for _, a := range rows {
			q := s.conn(ctx).Model(&Attachment{}).Where("sha256 = ? AND removed_at IS NULL", a.SHA256)
			if h.petition != nil {
				a.PetitionID = &h.petition.ID
				q = q.Where("petition_id = ?", h.petition.ID)
			} else {
				a.DialogueID = &h.dialogue.ID
				q = q.Where("dialogue_id = ?", h.dialogue.ID)
			}
			var same []*Attachment
			if err := q.Limit(1).Find(&same).Error; err != nil {
				return err
			}
			if len(same) > 0 {
				same[0].finish(actor, h)
				out = append(out, same[0])
				continue
			}
			if err := s.claimBlobs(ctx, a); err != nil {
				return err
			}
			a.AddedBy, a.AddedAt = actor.UserID, s.now()
			if err := s.conn(ctx).Create(a).Error; err != nil {
				return err
			}
			if err := s.attachmentEvent(ctx, actor, h, "attachment_added", "", a); err != nil {
				return err
			}
			a.finish(actor, h)
			out = append(out, a)
		}
		return nil
	})
	return out, err
}
