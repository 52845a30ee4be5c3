package cognito

import "encoding/json"

// refuseUnenforced refuses the pool settings cognitod would store but not
// act on where acting on them is what keeps users safe: a Lambda trigger (often a sign-in check), threat
// protection, a challenge on new devices or a password history must not
// believe they are in force. Settings that are safe to ignore (cosmetic,
// echoed, or failing closed) stay accepted; the README lists them.
func refuseUnenforced(p *PoolSettingsInput, checkLambda func(json.RawMessage) error) error {
	// MfaConfiguration ON and OPTIONAL are enforced (signin_mfa.go).
	if err := checkLambda(p.LambdaConfig); err != nil {
		return err // triggers.go: only the triggers cognitod calls, each mapped to a webhook
	}
	if len(p.UserPoolAddOns) > 0 {
		var addOns struct {
			AdvancedSecurityMode            string
			AdvancedSecurityAdditionalFlows *struct{ CustomAuthMode string }
		}
		if json.Unmarshal(p.UserPoolAddOns, &addOns) == nil {
			// AUDIT only records risk, which cognitod does not report
			// either, but blocks nobody: accepted.
			if addOns.AdvancedSecurityMode == "ENFORCED" {
				return ErrInvalidParameter.WithMessagef(msgUnenforcedRefused, "UserPoolAddOns AdvancedSecurityMode ENFORCED")
			}
			if f := addOns.AdvancedSecurityAdditionalFlows; f != nil && f.CustomAuthMode == "ENFORCED" {
				return ErrInvalidParameter.WithMessagef(msgUnenforcedRefused, "UserPoolAddOns AdvancedSecurityAdditionalFlows CustomAuthMode ENFORCED")
			}
		}
	}
	if len(p.DeviceConfiguration) > 0 {
		var dc struct{ ChallengeRequiredOnNewDevice bool }
		if json.Unmarshal(p.DeviceConfiguration, &dc) == nil && dc.ChallengeRequiredOnNewDevice {
			return ErrInvalidParameter.WithMessagef(msgUnenforcedRefused, "DeviceConfiguration ChallengeRequiredOnNewDevice")
		}
	}
	if pp := p.Policies; pp != nil && pp.PasswordPolicy != nil && pp.PasswordPolicy.PasswordHistorySize != nil && *pp.PasswordPolicy.PasswordHistorySize > 0 {
		return ErrInvalidParameter.WithMessagef(msgUnenforcedRefused, "PasswordPolicy PasswordHistorySize")
	}
	return nil
}
