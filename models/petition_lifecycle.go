package models

// PetitionState is where a petition stands in its lifecycle (DESIGN.md §4).
type PetitionState string

// The petition states.
const (
	StateReceived   PetitionState = "received"
	StateAssigned   PetitionState = "assigned"
	StateInProgress PetitionState = "in_progress"
	StateReferred   PetitionState = "referred"
	StateAnswered   PetitionState = "answered"
	StateResolved   PetitionState = "resolved"
	StateClosed     PetitionState = "closed"
	StateReopened   PetitionState = "reopened"
)

// StateType groups states so statistics never confuse "closed" with "solved".
type StateType string

// The state types.
const (
	TypeOpen   StateType = "open"
	TypeFixed  StateType = "fixed"
	TypeClosed StateType = "closed"
)

// lifecycle is the table of DESIGN.md §4: each state's type and the states it may go to.
// It is the only statement of the machine; everything else asks it.
var lifecycle = map[PetitionState]struct {
	Type StateType
	Next []PetitionState
}{
	StateReceived:   {TypeOpen, []PetitionState{StateAnswered, StateAssigned, StateReferred, StateClosed}},
	StateAssigned:   {TypeOpen, []PetitionState{StateInProgress, StateReferred, StateAnswered}},
	StateInProgress: {TypeOpen, []PetitionState{StateAnswered, StateReferred}},
	StateReferred:   {TypeOpen, []PetitionState{StateInProgress, StateAnswered}},
	StateAnswered:   {TypeOpen, []PetitionState{StateResolved, StateClosed, StateReopened}},
	StateResolved:   {TypeFixed, []PetitionState{StateReopened}},
	StateClosed:     {TypeClosed, []PetitionState{StateReopened}},
	StateReopened:   {TypeOpen, []PetitionState{StateAssigned, StateInProgress, StateAnswered}},
}

// PetitionStates lists every state in lifecycle order.
func PetitionStates() []PetitionState {
	return []PetitionState{StateReceived, StateAssigned, StateInProgress, StateReferred,
		StateAnswered, StateResolved, StateClosed, StateReopened}
}

// Valid tells whether s is a known state.
func (s PetitionState) Valid() bool {
	_, ok := lifecycle[s]
	return ok
}

// Type returns the type of the state: open, fixed or closed.
func (s PetitionState) Type() StateType { return lifecycle[s].Type }

// Valid tells whether t is a known state type.
func (t StateType) Valid() bool { return t == TypeOpen || t == TypeFixed || t == TypeClosed }

// StatesOfType lists the states of one type.
func StatesOfType(t StateType) []PetitionState {
	var out []PetitionState
	for _, s := range PetitionStates() {
		if s.Type() == t {
			out = append(out, s)
		}
	}
	return out
}

// legalTargets lists where the machine lets the petition go, whoever asks.
// A petition closed as a duplicate stays closed: its original carries the case.
func legalTargets(p *Petition) []PetitionState {
	if p.State == StateClosed && p.CloseReason != nil && *p.CloseReason == ReasonDuplicate {
		return nil
	}
	if p.MainID != nil {
		return followerTargets(lifecycle[p.State].Next) // links.go: it follows its main
	}
	return lifecycle[p.State].Next
}

// mayMove is the per-role rule of the lifecycle: whether the actor may take the petition to
// the target, assuming the machine allows it. Secretaries move petitions along; only a commune
// chair (or an admin) publishes answers, resolves, closes and reopens; district officials move
// referred petitions; inspectors only add notes.
func mayMove(a Actor, p *Petition, to PetitionState) bool {
	switch to {
	case StateAnswered, StateResolved, StateClosed, StateReopened:
		return a.Can(PermPetitionsDecide)
	case StateAssigned, StateReferred:
		return a.Can(PermPetitionsProcess)
	case StateInProgress:
		return a.Can(PermPetitionsProcess) || (p.State == StateReferred && a.Can(PermPetitionsFollowReferred))
	}
	return false
}

// AllowedTransitions lists the states the actor may take the petition to now.
func AllowedTransitions(a Actor, p *Petition) []PetitionState {
	targets := legalTargets(p)
	out := make([]PetitionState, 0, len(targets)) // grown once: every item of a list has one
	for _, to := range targets {
		if mayMove(a, p, to) {
			out = append(out, to)
		}
	}
	return out
}

// mayChangeDueDate tells whether the actor may set the due date of the petition: commune staff
// on any open petition, district officials on referred ones.
func mayChangeDueDate(a Actor, p *Petition) bool {
	if p.State.Type() != TypeOpen {
		return false
	}
	return a.Can(PermPetitionsProcess) || (p.State == StateReferred && a.Can(PermPetitionsFollowReferred))
}

// mayDraftAnswer tells whether the actor may save a draft answer to the petition.
func mayDraftAnswer(a Actor, p *Petition) bool {
	return p.State.Type() == TypeOpen && a.Can(PermPetitionsProcess)
}
