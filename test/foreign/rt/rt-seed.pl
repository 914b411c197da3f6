# rt-seed.pl QUEUE COUNT [PREFIX]: makes COUNT tickets in QUEUE, each with ~5 transactions
# (create with text, a comment, a correspondence, a status change, a custom field), through
# RT's own API in one process: far faster than REST (no HTTP, no login). Prints the ids made,
# one per line. Run as www-data with SD_RT_PORT and SD_RT_DIR set, as rt-setup.sh starts RT.
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

# No scrips while seeding: their outgoing-mail records (rendered through RT's slow HTML
# converter) cost ~1 s a ticket, and the data should be exactly the five transactions above.
{
    no warnings 'redefine';
    my $create = \&RT::Transaction::Create;
    *RT::Transaction::Create = sub { my $self = shift; $create->($self, @_, ActivateScrips => 0) };
}

my ($queue_name, $count, $prefix) = @ARGV;
die "usage: rt-seed.pl QUEUE COUNT [PREFIX]\n" unless $queue_name && $count;
$prefix //= 'seeded';
my $user = RT::CurrentUser->new(RT->SystemUser);
$user->Load('root');
my $queue = RT::Queue->new($user);
$queue->Load($queue_name) or die "no queue $queue_name\n";
my @statuses = qw(open stalled resolved);

$RT::Handle->BeginTransaction;
for my $n (1 .. $count) {
    my $ticket = RT::Ticket->new($user);
    my ($id, undef, $msg) = $ticket->Create(
        Queue     => $queue->id,
        Subject   => "$prefix ticket $n",
        Requestor => ["requestor$n\@example.test"],
        MIMEObj   => MIME::Entity->build(Type => 'text/plain', Charset => 'UTF-8', Data => ["Created as $prefix ticket $n.\n"]),
    );
    die "ticket $n: $msg\n" unless $id;
    $ticket->Comment(MIMEObj => MIME::Entity->build(Type => 'text/plain', Charset => 'UTF-8', Data => ["Comment on $n.\n"]));
    $ticket->Correspond(MIMEObj => MIME::Entity->build(Type => 'text/plain', Charset => 'UTF-8', Data => ["Reply on $n.\n"]));
    $ticket->SetStatus($statuses[$n % 3]);
    $ticket->AddCustomFieldValue(Field => 'Severity', Value => ($n % 2 ? 'low' : 'high'));
    print "$id\n";
    if ($n % 10 == 0) { $RT::Handle->Commit; $RT::Handle->BeginTransaction; }
}
$RT::Handle->Commit;
