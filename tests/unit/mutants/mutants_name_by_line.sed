# file: tools/mutants.py
# A mutant's name hashes its line number: an edit elsewhere renames it.
s/            name = name_of(src.module, op, before, new)/            name = name_of(src.module, op, before + [str(first)], new)/
