# A submission nested 100,000 objects deep (600 KB): refused at the reader, no stack overflow.
print('{"name": "deep", "components": ' + '{"a": ' * 100000 + "1" + "}" * 100000 + "}")
