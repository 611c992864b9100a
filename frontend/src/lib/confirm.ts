// In-app confirmation of steps that cannot be undone (closing a dialogue freezes it, a published
// answer goes on the public board, a deleted topic is gone): the screen asks, App.vue shows the
// question in a dialog that says what will happen, and the answer comes back as a promise.
import { ref } from 'vue'

/** Question is what the confirmation dialog shows. */
export interface Question {
  title: string
  /** consequence says plainly what will happen. */
  consequence: string
  /** confirmLabel names the step on its button ("Kết thúc, lập biên bản"). */
  confirmLabel: string
  danger?: boolean
}

/** asking is the question now shown, with the way to answer it. */
export const asking = ref<(Question & { answer: (yes: boolean) => void }) | null>(null)

/** confirmStep shows q and resolves true when the user confirms, false when they go back. */
export function confirmStep(q: Question): Promise<boolean> {
  asking.value?.answer(false)
  return new Promise((resolve) => {
    asking.value = {
      ...q,
      answer: (yes) => {
        asking.value = null
        resolve(yes)
      },
    }
  })
}
