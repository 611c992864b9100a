package models

// What "late" means is stated here once (DESIGN.md §4): a petition is late when it has no
// published answer by its due date. An open petition whose answer is published is waiting for
// the resident's feedback or for closure: it is "awaiting closure", never late. A reopened
// petition awaits a new answer, so its clock runs again. Lists, reports, the overdue list, the
// digest, the dashboard, the homes and the public board all ask Late or lateSQL.

// AwaitsAnswer tells whether a petition in state st still owes the resident a published answer:
// it is open and not answered.
func AwaitsAnswer(st PetitionState) bool {
	return st.Type() == TypeOpen && st != StateAnswered
}

// AwaitingClosure tells whether a petition in state st has its answer published and waits for
// the resident's feedback or for closure.
func AwaitingClosure(st PetitionState) bool { return st == StateAnswered }

// Late tells whether a petition in state st with due date due is late on day today: it awaits
// an answer and its due date has passed.
func Late(st PetitionState, due *Date, today Date) bool {
	return AwaitsAnswer(st) && due != nil && *due < today
}

// awaitsAnswerSQL is the SQL twin of AwaitsAnswer on the petitions table or alias t.
func awaitsAnswerSQL(t string) string {
	return "(" + t + ".state_type = 'open' AND " + t + ".state <> 'answered')"
}

// lateSQL is the SQL twin of Late on the petitions table or alias t, as of today.
func lateSQL(t string, today Date) (string, []any) {
	day, args := dayLiteral(today)
	return "(" + awaitsAnswerSQL(t) + " AND " + t + ".due_on IS NOT NULL AND " + t + ".due_on < " + day + ")", args
}

// notLateSQL is the negation of lateSQL, as of today.
func notLateSQL(t string, today Date) (string, []any) {
	day, args := dayLiteral(today)
	return "(" + t + ".state_type <> 'open' OR " + t + ".state = 'answered' OR " + t + ".due_on IS NULL OR " + t + ".due_on >= " + day + ")", args
}

// dayLiteral is today written into a statement as a date literal: a statement prepared with
// it then changes once a day, and PostgreSQL plans it once for good, knowing how many due
// dates lie before it. With the day a parameter it planned the overdue list again on every
// request, which cost more than running it. A day not in the form YYYY-MM-DD (none that the
// calendar makes) goes as a parameter.
func dayLiteral(today Date) (string, []any) {
	s := string(today)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return "?", []any{today}
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return "?", []any{today}
		}
	}
	return "'" + s + "'", nil
}
