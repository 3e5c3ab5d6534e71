#!/usr/bin/perl
# Read one feed with Perl's XML::Feed (Debian: libxml-feed-perl), fetched by it over HTTP, and
# print what it shows a program as one JSON object:
#   {"format", "title", "link", "language", "entries": [{"id", "title", "link", "issued",
#    "modified"}]}
# Dates are Unix seconds (null when XML::Feed parsed none). Usage: xml_feed.pl URL
use strict;
use warnings;
use JSON::PP;
use URI;
use XML::Feed;

# XML::Atom returns UTF-8 bytes, not characters, unless told (XML::RSS returns characters).
$XML::Atom::ForceUnicode = 1;

my $url = shift or die "usage: $0 URL\n";
my $feed = XML::Feed->parse(URI->new($url)) or die "XML::Feed: " . XML::Feed->errstr . "\n";

# DateTime -> Unix seconds: the instant, whatever zone the document wrote it in.
sub epoch { my ($dt) = @_; return defined $dt ? $dt->epoch + 0 : undef }

my @entries = map {
    {
        id       => $_->id,
        title    => $_->title,
        link     => $_->link,
        issued   => epoch($_->issued),
        modified => epoch($_->modified),
    }
} $feed->entries;
print JSON::PP->new->utf8->canonical->encode({
    format   => $feed->format,
    title    => $feed->title,
    link     => $feed->link,
    language => $feed->language,
    entries  => \@entries,
}), "\n";
