// Records as the API returns them.

/** Topic is a category of petitions (lĩnh vực). */
export interface Topic {
  id: number
  code: string
  name_vi: string
  name_en: string
  response_days: number
  papi_dimension: string
  active: boolean
  version: number
}

/** User is an account as the users API returns it. */
export interface User {
  id: number
  username: string
  full_name: string
  role: string
  unit_id: number
  active: boolean
  version: number
}

/** dimensions are the PAPI index's eight dimensions, in the index's order. */
export const dimensions = [
  'participation',
  'transparency',
  'vertical_accountability',
  'control_of_corruption',
  'administrative_procedures',
  'public_service_delivery',
  'environmental_governance',
  'e_governance',
]

/** roles lists the roles, most powerful first. */
export const roles = ['admin', 'district_official', 'commune_chair', 'secretary', 'inspector']

/** Ref names a related unit or user. */
export interface UnitRef {
  id: number
  name: string
}

/** UserRef names a related user. */
export interface UserRef {
  id: number
  username: string
  full_name: string
}

/** Attendance is who came to a dialogue, by group (lượt người). */
export interface Attendance {
  dialogue_id: number
  residents: number
  businesses: number
  officials: number
  women: number
  total: number
  source: string
  recorded_at: string
}

/** Dialogue is a citizen dialogue (buổi đối thoại) with what the reader may do with it. */
export interface Dialogue {
  id: number
  commune_id: number
  title: string
  starts_at: string
  ends_at: string | null
  venue: string
  chair_user_id: number | null
  agenda: string[] | null
  expected_attendance: number | null
  status: 'planned' | 'held' | 'closed' | 'cancelled'
  minutes: string | null
  cancel_reason: string | null
  postponed_count: number
  held_at: string | null
  closed_at: string | null
  version: number
  commune: UnitRef | null
  hamlets: UnitRef[] | null
  chair: UserRef | null
  attendance: Attendance | null
  petitions_count: number
  minutes_overdue: boolean
  allowed_transitions: string[] | null
  can_edit: boolean
  can_record_attendance: boolean
}

/** DialogueEvent is one line of a dialogue's history. */
export interface DialogueEvent {
  id: number
  kind: string
  actor: UserRef | null
  from_status: string | null
  to_status: string | null
  note: string
  created_at: string
}

/** Petition is an opinion or petition raised by a resident (ý kiến, kiến nghị). */
export interface Petition {
  id: number
  reference: string
  commune_id: number
  hamlet_id: number
  dialogue_id: number | null
  channel: string
  kind: string
  topic_id: number
  content: string
  anonymous: boolean
  onsite_answer: string
  received_at: string
  state: string
  state_type: string
  overdue: boolean
  responsible_unit_id: number | null
  responsible_name: string
  due_on: string | null
  answer_draft: string
  answer: string
  answered_at: string | null
  resolved_at: string | null
  closed_at: string | null
  close_reason: string | null
  duplicate_of: number | null
  satisfaction: string | null
  private: boolean
  version: number
  petitioner: { name: string; phone: string; address: string } | null
  petitioner_hidden: boolean
  allowed_transitions?: string[]
}

/** PetitionEvent is one line of a petition's audit trail. */
export interface PetitionEvent {
  id: number
  actor_id: number | null
  actor_name: string
  kind: string
  from: string | null
  to: string | null
  note: string
  data: Record<string, unknown> | null
  created_at: string
}

/** The petition vocabularies of DESIGN.md §3–4, in display order. */
export const kinds = ['phan_anh', 'kien_nghi', 'khieu_nai', 'to_cao']
export const channels = ['dialogue', 'reception', 'letter', 'phone', 'online']
export const states = ['received', 'assigned', 'in_progress', 'referred', 'answered', 'resolved', 'closed', 'reopened']
export const closeReasons = ['explained', 'duplicate', 'not_competent', 'withdrawn']
export const satisfactions = ['very_satisfied', 'satisfied', 'not_satisfied', 'unknown']
