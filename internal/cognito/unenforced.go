package cognito

import (
	"encoding/json"
	"sort"
)

// refuseUnenforced refuses the pool settings cognitod would store but not
// act on where acting on them is what keeps users safe: a Lambda trigger (often a sign-in check), threat
// protection, a challenge on new devices or a password history must not
// believe they are in force. Settings that are safe to ignore (cosmetic,
// echoed, or failing closed) stay accepted; the README lists them.
func refuseUnenforced(p *PoolSettingsInput) error {
	// MfaConfiguration ON and OPTIONAL are enforced (signin_mfa.go).
	if len(p.LambdaConfig) > 0 {
		var lc map[string]json.RawMessage
		if err := json.Unmarshal(p.LambdaConfig, &lc); err != nil {
			return ErrInvalidParameter.WithMessagef(msgLambdaRefused, "")
		}
		names := make([]string, 0, len(lc))
		for name, v := range lc {
			// KMSKeyID only names the key custom sender triggers would
			// decrypt with: no trigger, nothing ignored.
			if name != "KMSKeyID" && string(v) != "null" {
				names = append(names, name)
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			return ErrInvalidParameter.WithMessagef(msgLambdaRefused, names[0])
		}
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
