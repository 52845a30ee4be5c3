package cognito

import (
	"context"
	"maps"
	"regexp"
	"strings"
)

// TagResourceInput is TagResourceRequest.
type TagResourceInput struct {
	ResourceArn string            `json:"ResourceArn,omitempty"`
	Tags        map[string]string `json:"Tags,omitempty"`
}

// UntagResourceInput is UntagResourceRequest.
type UntagResourceInput struct {
	ResourceArn string   `json:"ResourceArn,omitempty"`
	TagKeys     []string `json:"TagKeys,omitempty"`
}

// ResourceARNInput is ListTagsForResourceRequest.
type ResourceARNInput struct {
	ResourceArn string `json:"ResourceArn,omitempty"`
}

// ListTagsForResourceOutput is ListTagsForResourceResponse.
type ListTagsForResourceOutput struct {
	Tags map[string]string `json:"Tags"`
}

// tagPattern is the characters the developer guide allows in tag keys and
// values ("Tagging Amazon Cognito resources"); lengths are the model's.
var tagPattern = regexp.MustCompile(`^[a-zA-Z0-9 _.:/=+\-@]*$`)

// checkTags applies Cognito's tag rules beyond the model's lengths: the
// characters, the reserved aws: prefix and the number of tags. It is used
// by TagResource and by CreateUserPool and UpdateUserPool (UserPoolTags),
// so that tags follow one rule whichever way they are set.
func (s *Service) checkTags(tags map[string]string) error {
	for k, v := range tags {
		if !tagPattern.MatchString(k) || !tagPattern.MatchString(v) {
			return ErrInvalidParameter.WithMessage(msgTagCharacters)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return ErrInvalidParameter.WithMessage(msgTagReservedPrefix)
		}
	}
	if len(tags) > s.limits.TagsPerPool {
		return ErrInvalidParameter.WithMessagef(msgLimitTags, s.limits.TagsPerPool)
	}
	return nil
}

// poolOfARN returns the pool ID a user pool ARN names:
// arn:aws:cognito-idp:<region>:<account>:userpool/<pool ID>. An ARN of
// another service or resource type is InvalidParameterException; a pool
// ARN of another account, or naming no pool, is ResourceNotFoundException,
// as is one of another region (getPool checks that).
func (s *Service) poolOfARN(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "cognito-idp" || !strings.HasPrefix(parts[5], "userpool/") {
		return "", ErrInvalidParameter.WithMessagef(msgInvalidResourceARN, arn)
	}
	poolID := strings.TrimPrefix(parts[5], "userpool/")
	if !poolIDPattern.MatchString(poolID) {
		return "", ErrInvalidParameter.WithMessagef(msgInvalidResourceARN, arn)
	}
	if parts[4] != s.accountID || parts[3] != RegionOfPoolID(poolID) {
		return "", ErrResourceNotFound.WithMessagef(msgPoolNotFound, poolID)
	}
	return poolID, nil
}

// changeTags runs fn on a pool's tags in one transaction.
func (s *Service) changeTags(ctx context.Context, arn string, fn func(tags map[string]string) error) error {
	poolID, err := s.poolOfARN(arn)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error {
		pool, err := s.getPool(ctx, tx, poolID)
		if err != nil {
			return err
		}
		tags := maps.Clone(pool.Settings.UserPoolTags)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := fn(tags); err != nil {
			return err
		}
		if len(tags) == 0 {
			tags = nil
		}
		pool.Settings.UserPoolTags = tags
		return tx.UpdateUserPool(ctx, pool)
	})
}

// TagResource adds tags to a user pool, replacing the values of keys it
// already has. The pool's UserPoolTags are the same tags.
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*Empty, error) {
	if err := s.validate(ctx, "TagResource", in); err != nil {
		return nil, err
	}
	err := s.changeTags(ctx, in.ResourceArn, func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		return s.checkTags(tags)
	})
	return empty(err)
}

// UntagResource removes tags from a user pool; keys it does not have are
// ignored.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*Empty, error) {
	if err := s.validate(ctx, "UntagResource", in); err != nil {
		return nil, err
	}
	err := s.changeTags(ctx, in.ResourceArn, func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
	return empty(err)
}

// ListTagsForResource returns a user pool's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *ResourceARNInput) (*ListTagsForResourceOutput, error) {
	if err := s.validate(ctx, "ListTagsForResource", in); err != nil {
		return nil, err
	}
	poolID, err := s.poolOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	tags := maps.Clone(pool.Settings.UserPoolTags)
	if tags == nil {
		tags = map[string]string{}
	}
	return &ListTagsForResourceOutput{Tags: tags}, nil
}
