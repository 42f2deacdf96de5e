package releasedate

//go:generate go run ./gen -o releases.json -toml sources/python-releases.toml -toml sources/pep-0745.toml -news sources/NEWS-3.11.2.txt -news sources/NEWS-3.13.5.txt -news sources/NEWS-3.13.15.txt -news sources/NEWS.d-2026.txt
