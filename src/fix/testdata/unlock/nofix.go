package unlock

// Get returns a value read from the guarded map: unlocking before the return would read it
// unguarded.
func (s *Store) Get(key string) int {
	s.mu.Lock()
	if key == "x" {
		return s.data[key]
	}
	v := s.data[key]
	s.mu.Unlock()
	return v
}
