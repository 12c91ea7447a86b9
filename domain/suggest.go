package domain

// Suggest returns the candidate closest to typed when it is close enough
// to be a likely typo — at most two edits (an insertion, a deletion, a
// substitution or a swap of neighbours) and at most half of typed's length
// — and "" otherwise. Ties go to the earlier candidate.
func Suggest(typed string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if c == typed || c == "" {
			continue
		}
		d := editDistance(typed, c)
		if d < bestDist && d <= max(1, len(typed)/2) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b
// (Levenshtein plus the swap of two neighbouring characters), over bytes.
// Inputs longer than 64 bytes are not compared (distance 3): names and
// values mp suggests are short.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 3
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range cur {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
