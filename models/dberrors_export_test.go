package models

// IsUniqueViolation and IsForeignKeyViolation let the tests check the classification of real
// driver errors.
var IsUniqueViolation, IsForeignKeyViolation = isUniqueViolation, isForeignKeyViolation
