package verify

// signatureReason gives a signature check that fails its artifact the
// reason it lacks: present reports that the signature was checked.
func signatureReason(r *signatureResult) {
	if r.Reason != "" || !r.FailsArtifact() {
		return
	}
	switch {
	case r.present:
		r.Reason = ReasonBadSignature
	case r.Status == StatusMissing:
		r.Reason = ReasonSignatureAbsent
	default:
		r.Reason = ReasonNotAccepted
	}
}
