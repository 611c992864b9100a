// Records as the API returns them. Every type here comes from src/lib/openapi.ts, which
// openapi-typescript generates from api/openapi.yaml (`npm run api-types`; `npm test` fails when
// it is stale), so the app and the server cannot disagree on a field without a failing build.
import type { components, paths } from './openapi'
import {
  dialogueStatusValues,
  pathsApiV1PetitionsIdTransitionsPostRequestBodyContentApplicationJsonReasonValues,
  pathsApiV1PetitionsIdTransitionsPostRequestBodyContentApplicationJsonSatisfactionValues,
  pathsApiV1TopicsPostRequestBodyContentApplicationJsonPapi_dimensionValues,
  petitionChannelValues,
  petitionKindValues,
  petitionStateValues,
  roleValues,
} from './openapi'

type Schemas = components['schemas']

/** Unit is an administrative unit. */
export type Unit = Schemas['Unit']
/** Me is the signed-in user with their unit, permissions and CSRF token. */
export type Me = Schemas['Me']
/** Topic is a category of petitions (lĩnh vực). */
export type Topic = Schemas['Topic']
export type PetitionRules = Schemas['PetitionRules']
/** User is an account as the users API returns it. */
export type User = Schemas['User']
/** Role is what a user may do, in the product's words. */
export type Role = Schemas['Role']
/** Attendance is who came to a dialogue, by group (lượt người). */
export type Attendance = Schemas['Attendance']
/** Dialogue is a citizen dialogue (buổi đối thoại) with what the reader may do with it. */
export type Dialogue = Schemas['Dialogue']
/** DialogueEvent is one line of a dialogue's history. */
export type DialogueEvent = Schemas['DialogueEvent']
/** Petition is an opinion or petition raised by a resident (ý kiến, kiến nghị). */
export type Petition = Schemas['Petition']
/** Assignee is an officer of a commune petitions are assigned to. */
export type Assignee = Schemas['Assignee']
export type Attachment = Schemas['Attachment']
/** PetitionEvent is one line of a petition's audit trail. */
export type PetitionEvent = Schemas['PetitionEvent']
/** Summary is the period report of a unit, with its communes for a league table. */
export type Summary = Schemas['Summary']
/** Series is a unit's figures month by month over a period (GET /reports/series). */
export type Series = Schemas['Series']
/** Figures are one unit's numbers for a period. */
export type Figures = Schemas['Figures']
/** OverduePetition is one line of the overdue list. */
export type OverduePetition = Schemas['OverduePetition']
/** PublicPetition is a petition as the public board shows it. */
export type PublicPetition = Schemas['PublicPetition']
/** DeadlineRule is a deadline the law sets, with its legal basis, as admins keep it. */
export type DeadlineRule = Schemas['DeadlineRule']
/** DeadlineRuleEvent is one edit in a rule's history. */
export type DeadlineRuleEvent = Schemas['DeadlineRuleEvent']
/** PublicDialogue is a dialogue's published notice and results on the public board. */
export type PublicDialogue = Schemas['PublicDialogue']
/** PublicSummary is a commune's figures on its public board. */
export type PublicSummary = Schemas['PublicSummary']
/** PublicCommune is a commune a resident may pick on the public board. */
export type PublicCommune = paths['/api/v1/public/communes']['get']['responses']['200']['content']['application/json']['items'][number]

/** The vocabularies of DESIGN.md §3–4, in display order, as the API document lists them. */
export const dimensions = pathsApiV1TopicsPostRequestBodyContentApplicationJsonPapi_dimensionValues
export const roles = roleValues
export const dialogueStatuses = dialogueStatusValues
export const kinds = petitionKindValues
export const channels = petitionChannelValues
export const states = petitionStateValues
export const closeReasons = pathsApiV1PetitionsIdTransitionsPostRequestBodyContentApplicationJsonReasonValues
export const satisfactions = pathsApiV1PetitionsIdTransitionsPostRequestBodyContentApplicationJsonSatisfactionValues
