// Logging a petition with the files brought to it, in one step for the screen: the petition goes
// first (or waits in the offline queue), then each file with a key of its own, to the petition's
// id, or queued behind the petition while it waits. Screens that take petitions use this with
// the AttachFilesField component: the dialogue's run screen, the reception desk.
import { sendOrQueue, sendOrQueueFiles, attachmentsPath, type FileOutcome, type Outcome } from './outbox'
import type { NewRequest } from './queue'

/** PetitionRequest is a petition to log: its JSON body and how the queue shows it. */
export type PetitionRequest = Pick<NewRequest, 'body' | 'label' | 'scope'>

/** Intake is what became of the petition and of each of its files. */
export interface Intake<P> {
  petition: Outcome<P>
  files: FileOutcome[]
}

/** submitPetition logs a petition and attaches files to it, online or not. A refusal of the
 * petition itself (422, 409) is thrown, as sendOrQueue does, and no file is sent. */
export async function submitPetition<P extends { id: number }>(req: PetitionRequest, files: File[]): Promise<Intake<P>> {
  const petition = await sendOrQueue<P>({ method: 'POST', path: '/api/v1/petitions', kind: 'petition', ...req })
  if (files.length === 0) return { petition, files: [] }
  const where = petition.queued
    ? { path: attachmentsPath(), after: petition.item.key }
    : { path: attachmentsPath(petition.data.id) }
  const out = await sendOrQueueFiles({ ...where, label: req.label, scope: req.scope }, files)
  return { petition, files: out }
}
