package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitod/cognitod/internal/cognito"
)

func strAttr(name string, min, max string, mutable bool) types.SchemaAttributeType {
	return types.SchemaAttributeType{Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(mutable),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String(min), MaxLength: aws.String(max)}}
}

// schemaPool is a pool with a required email and one custom attribute of
// every type, one of them developer-only.
func schemaPool(t *testing.T, c *cip.Client, extra func(*cip.CreateUserPoolInput)) string {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("schema"), Schema: []types.SchemaAttributeType{
		{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("5"), MaxLength: aws.String("100")}},
		strAttr("tier", "1", "8", true),
		{Name: aws.String("age"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}},
		{Name: aws.String("joined"), AttributeDataType: types.AttributeDataTypeDatetime, Mutable: aws.Bool(false)},
		{Name: aws.String("vip"), AttributeDataType: types.AttributeDataTypeBoolean},
		{Name: aws.String("secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true)},
	}}
	if extra != nil {
		extra(in)
	}
	out, err := c.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return *out.UserPool.Id
}

func findSchema(attrs []types.SchemaAttributeType, name string) *types.SchemaAttributeType {
	for i := range attrs {
		if aws.ToString(attrs[i].Name) == name {
			return &attrs[i]
		}
	}
	return nil
}

func TestPoolSchemaDescribed(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	ctx := context.Background()
	poolID := schemaPool(t, c, nil)
	out, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	sa := out.UserPool.SchemaAttributes
	if len(sa) != 20+5 {
		t.Fatalf("got %d schema attributes, want the 20 standard ones and 5 custom", len(sa))
	}
	email := findSchema(sa, "email")
	if email == nil || !aws.ToBool(email.Required) || aws.ToString(email.StringAttributeConstraints.MinLength) != "5" ||
		aws.ToString(email.StringAttributeConstraints.MaxLength) != "100" {
		t.Errorf("email: %+v", email)
	}
	tier := findSchema(sa, "custom:tier")
	if tier == nil || tier.AttributeDataType != types.AttributeDataTypeString || aws.ToBool(tier.Required) || !aws.ToBool(tier.Mutable) ||
		aws.ToString(tier.StringAttributeConstraints.MinLength) != "1" || aws.ToString(tier.StringAttributeConstraints.MaxLength) != "8" {
		t.Errorf("custom:tier: %+v", tier)
	}
	age := findSchema(sa, "custom:age")
	if age == nil || age.AttributeDataType != types.AttributeDataTypeNumber || aws.ToString(age.NumberAttributeConstraints.MaxValue) != "150" {
		t.Errorf("custom:age: %+v", age)
	}
	if j := findSchema(sa, "custom:joined"); j == nil || aws.ToBool(j.Mutable) || j.AttributeDataType != types.AttributeDataTypeDatetime {
		t.Errorf("custom:joined: %+v", j)
	}
	if v := findSchema(sa, "custom:vip"); v == nil || !aws.ToBool(v.Mutable) || v.AttributeDataType != types.AttributeDataTypeBoolean {
		t.Errorf("custom:vip (Mutable defaults to true): %+v", v)
	}
	if d := findSchema(sa, "dev:custom:secret"); d == nil || !aws.ToBool(d.DeveloperOnlyAttribute) {
		t.Errorf("dev:custom:secret: %+v", d)
	}
	if findSchema(sa, "custom:secret") != nil {
		t.Error("a developer-only attribute is named dev:custom:secret only")
	}

	// A name already prefixed is prefixed again, as Cognito does.
	out2, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("prefixed"),
		Schema: []types.SchemaAttributeType{strAttr("custom:x", "0", "10", true)}})
	if err != nil {
		t.Fatal(err)
	}
	if findSchema(out2.UserPool.SchemaAttributes, "custom:custom:x") == nil {
		t.Errorf("custom:x became %v", out2.UserPool.SchemaAttributes[len(out2.UserPool.SchemaAttributes)-1].Name)
	}
}

func TestPoolSchemaRefused(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	ctx := context.Background()
	create := func(attrs ...types.SchemaAttributeType) error {
		_, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bad"), Schema: attrs})
		return err
	}
	cases := []struct {
		name    string
		attrs   []types.SchemaAttributeType
		code    string
		message string
	}{
		{"no data type", []types.SchemaAttributeType{{Name: aws.String("x")}}, "InvalidParameterException",
			"Invalid AttributeDataType input, consider using the provided AttributeDataType enum."},
		{"required custom", []types.SchemaAttributeType{{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}},
			"InvalidParameterException", "Required custom attributes are not supported currently."},
		{"min above max", []types.SchemaAttributeType{strAttr("x", "9", "3", true)}, "InvalidParameterException",
			"user.custom:x: Max length cannot be less than min length."},
		{"longer than 2048", []types.SchemaAttributeType{strAttr("x", "0", "4096", true)}, "InvalidParameterException",
			"user.custom:x: String attributes cannot have a length of more than 2048"},
		{"length not a number", []types.SchemaAttributeType{strAttr("x", "zero", "3", true)}, "InvalidParameterException",
			"Invalid StringAttributeConstraints for schema attribute custom:x"},
		{"negative length", []types.SchemaAttributeType{strAttr("x", "-1", "3", true)}, "InvalidParameterException",
			"Invalid StringAttributeConstraints for schema attribute custom:x"},
		{"min value above max", []types.SchemaAttributeType{{Name: aws.String("n"), AttributeDataType: types.AttributeDataTypeNumber,
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("10"), MaxValue: aws.String("1")}}},
			"InvalidParameterException", "user.custom:n: Max value cannot be less than min value."},
		{"value bound not a number", []types.SchemaAttributeType{{Name: aws.String("n"), AttributeDataType: types.AttributeDataTypeNumber,
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MaxValue: aws.String("lots")}}},
			"InvalidParameterException", "Invalid NumberAttributeConstraints for schema attribute custom:n"},
		{"standard attribute's type", []types.SchemaAttributeType{{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeNumber}},
			"InvalidParameterException", "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"},
		{"developer-only standard attribute", []types.SchemaAttributeType{{Name: aws.String("name"), DeveloperOnlyAttribute: aws.Bool(true)}},
			"InvalidParameterException", "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute name"},
		{"standard attribute longer than 2048", []types.SchemaAttributeType{strAttr("name", "0", "3000", true)},
			"InvalidParameterException", "user.name: String attributes cannot have a length of more than 2048"},
		{"duplicate custom", []types.SchemaAttributeType{strAttr("x", "0", "3", true), strAttr("x", "0", "4", true)},
			"InvalidParameterException", "Duplicate attribute name in schema: custom:x"},
		{"duplicate standard", []types.SchemaAttributeType{strAttr("email", "0", "3", true), strAttr("email", "0", "4", true)},
			"InvalidParameterException", "Duplicate attribute name in schema: email"},
		{"sub made mutable", []types.SchemaAttributeType{{Name: aws.String("sub"), Mutable: aws.Bool(true)}},
			"InvalidParameterException", "The sub attribute is always required and immutable."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, create(tc.attrs...), tc.code, tc.message)
		})
	}

	// The model bounds a custom name at 20 characters and the type to its
	// enum; the SDK does not check either, the server does.
	r := ts.raw(t, "CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"abcdefghijklmnopqrstu","AttributeDataType":"String"}]}`)
	if r.Status != 400 || r.Body["__type"] != "InvalidParameterException" || !strings.Contains(r.Raw, "Member must have length less than or equal to 20") {
		t.Errorf("21-character name: %d %s", r.Status, r.Raw)
	}
	r = ts.raw(t, "CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"x","AttributeDataType":"Text"}]}`)
	if r.Status != 400 || r.Body["__type"] != "InvalidParameterException" || !strings.Contains(r.Raw, "at 'schema.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set") {
		t.Errorf("bad data type: %d %s", r.Status, r.Raw)
	}
	// Nothing was created by the refused requests.
	list, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(list.UserPools) != 0 {
		t.Fatalf("pools after refusals: %v %v", list, err)
	}
}

func TestAddCustomAttributes(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	ctx := context.Background()
	poolID := schemaPool(t, c, nil)
	add := func(attrs ...types.SchemaAttributeType) error {
		_, err := c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String(poolID), CustomAttributes: attrs})
		return err
	}
	if err := add(types.SchemaAttributeType{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(false)},
		types.SchemaAttributeType{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString}); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		t.Fatal(err)
	}
	if l := findSchema(out.UserPool.SchemaAttributes, "custom:level"); l == nil || aws.ToBool(l.Mutable) || l.AttributeDataType != types.AttributeDataTypeNumber {
		t.Errorf("custom:level: %+v", l)
	}
	if findSchema(out.UserPool.SchemaAttributes, "custom:email") == nil {
		t.Error("AddCustomAttributes makes every name a custom one: custom:email is missing")
	}

	wantAPIError(t, add(strAttr("tier", "0", "3", true)), "InvalidParameterException", "custom:tier: Existing attribute already has name custom:tier.")
	wantAPIError(t, add(types.SchemaAttributeType{Name: aws.String("secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true)}),
		"InvalidParameterException", "custom:secret: Existing attribute already has name dev:custom:secret.")
	wantAPIError(t, add(types.SchemaAttributeType{Name: aws.String("must"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}),
		"InvalidParameterException", "Required custom attributes are not supported currently.")
	wantAPIError(t, add(types.SchemaAttributeType{Name: aws.String("typeless")}),
		"InvalidParameterException", "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")
	wantAPIError(t, add(strAttr("bad", "5", "1", true)), "InvalidParameterException", "user.custom:bad: Max length cannot be less than min length.")
	_, err = c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String("us-east-1_nothere0"), CustomAttributes: []types.SchemaAttributeType{strAttr("z", "0", "1", true)}})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere0 does not exist.")

	// A refused batch adds nothing, not even its valid members.
	wantAPIError(t, add(strAttr("ok", "0", "3", true), strAttr("tier", "0", "3", true)), "InvalidParameterException", "custom:tier: Existing attribute already has name custom:tier.")
	out, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil || findSchema(out.UserPool.SchemaAttributes, "custom:ok") != nil {
		t.Fatalf("a refused batch added custom:ok (%v)", err)
	}

	// 7 custom attributes so far: 25 more fit, then 18; one more is over 50.
	batch := func(prefix string, n int) []types.SchemaAttributeType {
		var out []types.SchemaAttributeType
		for i := range n {
			out = append(out, strAttr(fmt.Sprintf("%s%d", prefix, i), "0", "10", true))
		}
		return out
	}
	if err := add(batch("a", 25)...); err != nil {
		t.Fatal(err)
	}
	if err := add(batch("b", 18)...); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, add(batch("c", 1)...), "LimitExceededException", "The maximum number of custom attributes (50) has been reached for this user pool.")
	out, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil || len(out.UserPool.SchemaAttributes) != 20+50 {
		t.Fatalf("after the limit: %d attributes, %v", len(out.UserPool.SchemaAttributes), err)
	}
}
