import { PageTitle } from '../components/layout';
import { paths } from '../routes';

export function NotFoundPage() {
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <p>
        There is no console page at this address. Go to the <a href={paths.instances}>Instances</a> page.
      </p>
    </>
  );
}
