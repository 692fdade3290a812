return { twice = function(s) return s .. s end }
