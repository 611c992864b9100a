package models

import "strings"

// Role is what a user does in the system; every permission derives from it.
type Role string

// The roles of DESIGN.md §2.
const (
	RoleAdmin            Role = "admin"
	RoleDistrictOfficial Role = "district_official"
	RoleCommuneChair     Role = "commune_chair"
	RoleSecretary        Role = "secretary"
	RoleInspector        Role = "inspector"
)

// Roles lists every role, most powerful first.
func Roles() []Role {
	return []Role{RoleAdmin, RoleDistrictOfficial, RoleCommuneChair, RoleSecretary, RoleInspector}
}

// Valid tells whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles() {
		if k == r {
			return true
		}
	}
	return false
}

// roleLabels name the roles in the user interface's words.
var roleLabels = map[Role]Message{
	RoleAdmin:            Msg("Quản trị hệ thống", "Administrator"),
	RoleDistrictOfficial: Msg("Cán bộ theo dõi", "Monitoring official"),
	RoleCommuneChair:     Msg("Chủ tịch UBND xã", "Commune chair"),
	RoleSecretary:        Msg("Công chức văn phòng xã", "Commune secretary"),
	RoleInspector:        Msg("Ban thanh tra nhân dân", "People's Inspection Board"),
}

// RoleLabel names a user's role as their place calls it: a monitoring official bound to a
// district that still exists is a district official; everywhere else, since the 2025 reform,
// a monitoring official ("Cán bộ theo dõi"), never "cán bộ huyện".
func RoleLabel(r Role, unit *Unit) Message {
	if r == RoleDistrictOfficial && unit != nil && unit.Level == LevelDistrict && unit.Live() {
		return Msg("Cán bộ huyện", "District official")
	}
	return roleLabels[r]
}

// Permission names something a role may do, before the unit scope is checked.
type Permission string

// The permissions. Each is granted to roles in one place: Role.Has.
const (
	PermUnitsManage  Permission = "units.manage"
	PermTopicsManage Permission = "topics.manage"
	PermUsersManage  Permission = "users.manage"

	// PermDialoguesSchedule plans a dialogue and edits it while it is planned.
	PermDialoguesSchedule Permission = "dialogues.schedule"
	// PermDialoguesHold marks a planned dialogue as held.
	PermDialoguesHold Permission = "dialogues.hold"
	// PermDialoguesAttendance records who came to a held dialogue.
	PermDialoguesAttendance Permission = "dialogues.attendance"
	// PermDialoguesPostpone moves a planned dialogue to a later date.
	PermDialoguesPostpone Permission = "dialogues.postpone"
	// PermDialoguesCancel calls off a planned dialogue.
	PermDialoguesCancel Permission = "dialogues.cancel"
	// PermDialoguesClose closes a held dialogue with its minutes, freezing it.
	PermDialoguesClose Permission = "dialogues.close"
	// PermPetitionsLog allows logging new petitions in the actor's communes.
	PermPetitionsLog Permission = "petitions.log"
	// PermPetitionsProcess allows moving petitions along (assign, start, refer), drafting answers
	// and setting due dates.
	PermPetitionsProcess Permission = "petitions.process"
	// PermPetitionsDecide allows publishing answers, resolving, closing and reopening petitions.
	PermPetitionsDecide Permission = "petitions.decide"
	// PermPetitionsFollowReferred allows moving referred petitions and changing their due dates.
	PermPetitionsFollowReferred Permission = "petitions.follow_referred"
	// PermPetitionsNote allows adding notes to a petition's history.
	PermPetitionsNote Permission = "petitions.note"
	// PermPetitionsSeeDenouncer allows seeing who filed a denunciation (tố cáo), protected by law.
	PermPetitionsSeeDenouncer Permission = "petitions.see_denouncer"
	// PermReportsView allows reading the period reports and the overdue list of the actor's units.
	PermReportsView Permission = "reports.view"
	// PermPetitionsExportPersonal allows exports that name petitioners (name, phone, address).
	PermPetitionsExportPersonal Permission = "petitions.export_personal"
	// PermExportLogRead allows reading the log of who exported what.
	PermExportLogRead Permission = "exports.log_read"
	// PermAttachmentsAdd allows attaching photos and documents to records of the actor's
	// communes, and removing those one attached by mistake.
	PermAttachmentsAdd Permission = "attachments.add"
	// PermAttachmentsRemoveAny allows removing attachments whoever added them.
	PermAttachmentsRemoveAny Permission = "attachments.remove_any"
	// PermAttachmentsPublish allows showing a petition's photo on the public board.
	PermAttachmentsPublish Permission = "attachments.publish"
	// PermAttachmentsPurge allows deleting the file of a removed attachment for good.
	PermAttachmentsPurge Permission = "attachments.purge"
	// PermCalendarManage allows recording the Government's decisions about days off and
	// swapped working days, which every commune's working-day deadlines follow.
	PermCalendarManage Permission = "calendar.manage"
	// PermDeadlineRulesManage allows editing the deadline rules: their limits, words and legal
	// basis, when the law changes.
	PermDeadlineRulesManage Permission = "deadline_rules.manage"
	// PermDialoguesPublish allows publishing a dialogue's notice and its results to the public
	// board, in the commune's name.
	PermDialoguesPublish Permission = "dialogues.publish"
	// PermNotificationsManage allows editing message templates, reading the outbox and sending
	// failed messages again.
	PermNotificationsManage Permission = "notifications.manage"
	// PermAssigneesManage allows keeping the list of a commune's officers petitions are
	// assigned to.
	PermAssigneesManage Permission = "assignees.manage"
	// PermPetitionsLink allows linking petitions that raise one matter to a main petition, and
	// unlinking them.
	PermPetitionsLink Permission = "petitions.link"
	// PermPetitionsCorrect allows correcting what was recorded of an open petition of the actor's
	// commune: its hamlet, topic, kind, channel, content and petitioner (corrections.go).
	PermPetitionsCorrect Permission = "petitions.correct"
	// PermOwnContact allows setting one's own e-mail address for assignments and the digest.
	PermOwnContact Permission = "account.contact"
)

// Has tells whether the role carries the permission. This switch is the only place where
// a permission is granted to a role.
func (r Role) Has(p Permission) bool {
	switch p {
	case PermUnitsManage, PermTopicsManage:
		return r == RoleAdmin
	case PermUsersManage:
		return r == RoleAdmin || r == RoleDistrictOfficial
	case PermDialoguesSchedule, PermDialoguesHold, PermDialoguesAttendance:
		// The commune office runs the day-to-day work of a dialogue.
		return r == RoleAdmin || r == RoleCommuneChair || r == RoleSecretary
	case PermDialoguesPostpone, PermDialoguesCancel, PermDialoguesClose:
		// Putting off, calling off and signing off a dialogue are the chair's decisions.
		return r == RoleAdmin || r == RoleCommuneChair
	case PermPetitionsLog, PermPetitionsProcess, PermPetitionsLink, PermPetitionsCorrect:
		// The commune office keeps the record it typed, and puts it right.
		return r == RoleAdmin || r == RoleCommuneChair || r == RoleSecretary
	case PermPetitionsDecide, PermPetitionsSeeDenouncer:
		return r == RoleAdmin || r == RoleCommuneChair
	case PermPetitionsFollowReferred:
		return r == RoleAdmin || r == RoleDistrictOfficial
	case PermPetitionsNote, PermOwnContact:
		return r.Valid()
	case PermReportsView:
		// Every role reads the figures of its own units; the public board shows the rest.
		return r.Valid()
	case PermPetitionsExportPersonal:
		// A list of who raised what leaves the system only with a chair's or a supervisor's hand.
		return r == RoleAdmin || r == RoleDistrictOfficial || r == RoleCommuneChair
	case PermExportLogRead:
		return r == RoleAdmin || r == RoleDistrictOfficial
	case PermAttachmentsAdd:
		return r == RoleAdmin || r == RoleCommuneChair || r == RoleSecretary
	case PermAttachmentsRemoveAny, PermAttachmentsPublish:
		// What residents may see of a photo is the chair's call, like publishing an answer.
		return r == RoleAdmin || r == RoleCommuneChair
	case PermAssigneesManage:
		// Who in the commune handles what is the chair's call.
		return r == RoleAdmin || r == RoleCommuneChair
	case PermDialoguesPublish:
		// What the commune announces to residents is the chair's word, like a published answer.
		return r == RoleAdmin || r == RoleCommuneChair
	case PermAttachmentsPurge, PermCalendarManage, PermNotificationsManage, PermDeadlineRulesManage:
		return r == RoleAdmin
	}
	return false
}

// Actor is the authenticated user on whose behalf a request runs.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	UnitID   int64
	// UnitPath is the materialized path of the user's unit, e.g. "/1/2/7/".
	UnitPath string
	// Communes holds the paths of the communes a monitoring official bound to an explicit set
	// follows ("phụ trách địa bàn"); when it is not empty the actor sees those communes only.
	Communes []string
}

// Can tells whether the actor's role carries the permission.
func (a Actor) Can(p Permission) bool { return a.Role.Has(p) }

// SeesUnit tells whether the actor may see the unit: one in their subtree or set (Sees), or
// their own unit even when it lies outside a monitor's set.
func (a Actor) SeesUnit(u *Unit) bool { return a.Sees(u.Path) || u.ID == a.UnitID }

// Sees tells whether a unit with the given path lies in the actor's subtree, or in one of the
// communes of a monitor's set.
func (a Actor) Sees(unitPath string) bool {
	if a.UnitPath == "" {
		return false
	}
	if len(a.Communes) == 0 {
		return strings.HasPrefix(unitPath, a.UnitPath)
	}
	for _, p := range a.Communes {
		if strings.HasPrefix(unitPath, p) {
			return true
		}
	}
	return false
}

// scopeSQL is the SQL twin of Sees: a condition on a materialized-path column that keeps the
// units the actor sees.
func (a Actor) scopeSQL(column string) (string, []any) {
	return pathsSQL(column, a.scopePaths())
}

// scopePaths lists the subtrees the actor sees.
func (a Actor) scopePaths() []string {
	if len(a.Communes) == 0 {
		return []string{a.UnitPath}
	}
	return a.Communes
}

// pathsSQL is a condition keeping the rows whose path column lies under one of paths.
func pathsSQL(column string, paths []string) (string, []any) {
	parts := make([]string, len(paths))
	args := make([]any, len(paths))
	for i, p := range paths {
		parts[i] = column + " LIKE ?"
		args[i] = p + "%"
	}
	if len(parts) == 1 {
		return parts[0], args
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// CanAssignRole tells whether the actor may create or edit a user holding role r.
// Admins may hand out any role; district officials every role but admin.
func (a Actor) CanAssignRole(r Role) bool {
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleDistrictOfficial:
		return r != RoleAdmin
	}
	return false
}

// AllPermissions lists every permission, for clients that shape their menus by it.
func AllPermissions() []Permission {
	return []Permission{PermUnitsManage, PermTopicsManage, PermUsersManage,
		PermDialoguesSchedule, PermDialoguesHold, PermDialoguesAttendance,
		PermDialoguesPostpone, PermDialoguesCancel, PermDialoguesClose,
		PermPetitionsLog, PermPetitionsProcess, PermPetitionsDecide, PermPetitionsFollowReferred,
		PermPetitionsNote, PermPetitionsSeeDenouncer,
		PermReportsView, PermPetitionsExportPersonal, PermExportLogRead,
		PermAttachmentsAdd, PermAttachmentsRemoveAny, PermAttachmentsPublish, PermAttachmentsPurge,
		PermCalendarManage, PermNotificationsManage, PermAssigneesManage, PermPetitionsLink, PermDeadlineRulesManage, PermDialoguesPublish, PermOwnContact,
		PermPetitionsCorrect}
}

// Permissions lists the permissions the actor's role carries.
func (a Actor) Permissions() []Permission {
	out := []Permission{}
	for _, p := range AllPermissions() {
		if a.Can(p) {
			out = append(out, p)
		}
	}
	return out
}
